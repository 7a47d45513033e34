namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// What the job's retention did in one repository: the snapshot ids it removed (forget) and what the prune after it
/// deleted; or, when it did not run, why (<see cref="SkippedReason"/>: no retention configured, the run was not
/// complete, the repository was locked).
/// </summary>
public sealed record RetentionResult(IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, int PacksDeleted, long BytesDeleted, string? SkippedReason)
{
    /// <summary>Which retention applied and its rules (<see cref="TierRetention.ToString"/>); null when skipped.</summary>
    public string? Policy { get; init; }

    /// <summary>The kept snapshots with every rule that keeps each (newest first per group).</summary>
    public IReadOnlyList<Maintenance.Retention.RetentionDecision> KeptDecisions { get; init; } = [];

    /// <summary>What status.json keeps of it: counts, the policy, and which rule keeps each snapshot.</summary>
    public RetentionRecord ToRecord(DateTimeOffset at) =>
        new(Removed.Count, at, Pruned: true, Policy, [.. KeptDecisions.Select(d => new KeptSnapshot(d.Candidate.Id, d.Candidate.Time, d.Reasons))]);

    public bool Skipped => SkippedReason is not null;

    public static RetentionResult Skip(string reason) => new([], [], 0, 0, reason);
}
