namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// The outcome for one <c>copy_to</c> repository: <see cref="Result"/> is <c>success</c>, <c>skipped</c> (a local tier
/// that is not present: drive not mounted, directory missing, repository not initialised; not an error, it catches up
/// on the next run) or <c>failure</c> (with <see cref="Message"/>). <see cref="Copied"/> counts snapshots copied now;
/// <see cref="Lag"/> the job's snapshots in the source that the tier still lacks after the copy (null when the tier
/// could not be read). <see cref="Retention"/> is the job's retention applied to the tier (null when not attempted).
/// </summary>
public sealed record TierResult(string Tier, string Result, int Copied, int? Lag, string? Message, RetentionResult? Retention)
{
    /// <summary>The job's newest complete snapshot in the tier after the copy and its retention (null when not read).</summary>
    public SnapshotRef? Newest { get; init; }

    public const string Success = "success";
    public const string Skipped = "skipped";
    public const string Failure = "failure";
}
