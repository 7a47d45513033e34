namespace Stackvault.Jobs;

/// <summary>
/// The result of copying a job's snapshots to one <c>copy_to</c> tier after a backup (the copy itself is done by
/// <c>Stackvault.Jobs.Aftercare.JobAftercare</c>). <paramref name="Result"/> is success, skipped or failure;
/// <paramref name="LagSnapshots"/> how many of the job's snapshots the tier still lacks afterwards (for a tier that
/// could not be read: the job's snapshots made since its last successful copy); <paramref name="Copied"/> how many
/// snapshots this copy added to the tier; <paramref name="Retention"/> the tier's retention after the copy (null when
/// it did not run); <paramref name="Newest"/> the job's newest complete snapshot in the tier.
/// </summary>
public sealed record TierCopyRecord(string Tier, string Result, DateTimeOffset At, int LagSnapshots, string? Message, int Copied = 0, RetentionRecord? Retention = null, SnapshotRef? Newest = null)
{
    public const string Success = "success";
    public const string Skipped = "skipped";
    public const string Failure = "failure";

    public static readonly IReadOnlyList<string> Results = [Success, Skipped, Failure];
}
