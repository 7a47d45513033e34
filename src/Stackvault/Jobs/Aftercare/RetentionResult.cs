namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// What the job's retention did in one repository: the snapshot ids it removed (forget) and what the prune after it
/// deleted; or, when it did not run, why (<see cref="SkippedReason"/>: no retention configured, the run was not
/// complete, the repository was locked).
/// </summary>
public sealed record RetentionResult(IReadOnlyList<string> Removed, IReadOnlyList<string> Kept, int PacksDeleted, long BytesDeleted, string? SkippedReason)
{
    public bool Skipped => SkippedReason is not null;

    public static RetentionResult Skip(string reason) => new([], [], 0, 0, reason);
}
