namespace Stackvault.Jobs;

/// <summary>
/// The result of copying a job's snapshots to one <c>copy_to</c> tier after a backup (the copy itself is done by
/// <c>Stackvault.Jobs.Aftercare.JobAftercare</c>). <paramref name="Result"/> is success, skipped or failure;
/// <paramref name="LagSnapshots"/> how many of the job's snapshots the tier still lacks afterwards.
/// </summary>
public sealed record TierCopyRecord(string Tier, string Result, DateTimeOffset At, int LagSnapshots, string? Message)
{
    public const string Success = "success";
    public const string Skipped = "skipped";
    public const string Failure = "failure";

    public static readonly IReadOnlyList<string> Results = [Success, Skipped, Failure];
}
