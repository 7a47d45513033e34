using Stackvault.Maintenance.Retention;

namespace Stackvault.Maintenance;

/// <summary>The verdicts for one group of snapshots, newest first.</summary>
public sealed record ForgetGroup(SnapshotGroupKey Key, IReadOnlyList<RetentionDecision> Decisions)
{
    public IEnumerable<RetentionDecision> Kept => Decisions.Where(d => d.Keep);

    public IEnumerable<RetentionDecision> Removed => Decisions.Where(d => !d.Keep);
}
