using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>One job in <c>stackvault status</c> and the daemon's <c>/status</c>: last runs, next run, RPO state, verify, drill, tiers.</summary>
public sealed record JobStatusView(
    string Job,
    string? Repository,
    string? Schedule,
    DateTimeOffset? NextRun,
    double? RpoSeconds,
    double? AgeSeconds,
    string RpoState,
    bool RpoBreached,
    JobOutcome? LastRun,
    JobOutcome? LastSuccess,
    IReadOnlyList<JobOutcome> RecentRuns,
    IReadOnlyDictionary<string, long> RunsTotal,
    long MissedRunsTotal,
    VerifyState? Verify,
    DrillState? Drill,
    IReadOnlyDictionary<string, TierState> Tiers,
    RetentionRecord? LastRetention,
    long RetentionRemovedSnapshotsTotal)
{
    public static JobStatusView Of(MonitoredJob job, JobState? state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var rpo = Telemetry.RpoState.Evaluate(job, state, now);
        var runs = JobStatuses.All.Select(r => r.Name()).ToDictionary(r => r, r => state?.RunsTotal.GetValueOrDefault(r) ?? 0);
        return new JobStatusView(
            job.Name, job.Repository, job.Schedule, state?.NextRun, job.Rpo?.TotalSeconds, rpo.AgeSeconds, rpo.State, rpo.Breached,
            state?.LastRun, state?.LastSuccess, state?.RecentRuns ?? [], runs, state?.MissedRunsTotal ?? 0,
            state?.Verify, state?.Drill, state?.Tiers ?? [], state?.LastRetention, state?.RetentionRemovedSnapshotsTotal ?? 0);
    }
}
