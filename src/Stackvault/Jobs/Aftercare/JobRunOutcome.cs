using Stackvault.Repository;

namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// What the job run that precedes <see cref="JobAftercare.RunAsync"/> produced: the snapshot it wrote (null when the
/// run failed before its commit point) and whether the run was complete (a complete snapshot, no failed component,
/// cleanup or post hook: <c>!JobResult.IsPartial</c>). Only a complete run lets retention delete anything.
/// </summary>
public sealed record JobRunOutcome(ObjectId? SnapshotId, bool Complete)
{
    /// <summary>A run that wrote no snapshot.</summary>
    public static JobRunOutcome Failed { get; } = new(null, false);

    /// <summary>True when retention may run: the run wrote a snapshot and was complete.</summary>
    public bool AllowsRetention => SnapshotId is not null && Complete;
}
