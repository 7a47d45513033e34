namespace Stackvault.Configuration;

/// <summary>
/// A named job: components backed up together into one repository. Schedule, jitter, timeout, retention, copy_to,
/// rpo, verify and drill are parsed and checked now; running them is later work.
/// </summary>
public sealed record JobConfig(
    string Name,
    int Line,
    string Repository,
    IReadOnlyList<string> Components,
    IReadOnlyList<string> Tags,
    ScheduleConfig? Schedule,
    TimeSpan? Jitter,
    TimeSpan? Timeout,
    RetentionConfig? Retention,
    IReadOnlyList<string> CopyTo,
    TimeSpan? Rpo,
    CheckConfig? Verify,
    CheckConfig? Drill,
    HookSet Hooks)
{
    /// <summary>The recovery time objectives drills and status compare against (<c>rto:</c>; the seeds' defaults when unset).</summary>
    public RtoTargets Rto { get; init; } = RtoTargets.Default;
}
