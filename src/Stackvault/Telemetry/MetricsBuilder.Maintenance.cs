using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>Tier copies, retention, prune, verify and drill metrics.</summary>
public static partial class MetricsBuilder
{
    private static void Tiers(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state)
    {
        var rows = jobs.SelectMany(j => j.Tiers.Union((IEnumerable<string>?)Of(state, j)?.Tiers.Keys ?? [], StringComparer.Ordinal)
            .Select(t => (Job: j.Name, Tier: t, State: Of(state, j)?.Tiers.GetValueOrDefault(t)))).ToList();
        w.Family("stackvault_tier_copy_last_success_timestamp_seconds", "gauge", "When the job's snapshots were last copied to the tier completely (Unix time).");
        foreach (var row in rows.Where(r => r.State?.LastSuccessAt is not null))
        {
            w.Sample(Seconds(row.State!.LastSuccessAt!.Value), ("job", row.Job), ("tier", row.Tier));
        }

        w.Family("stackvault_tier_copy_runs_total", "counter", "Tier copies by result: success, skipped, failure.");
        foreach (var row in rows)
        {
            foreach (var result in TierCopyRecord.Results)
            {
                w.Sample(row.State?.RunsTotal.GetValueOrDefault(result) ?? 0, ("job", row.Job), ("tier", row.Tier), ("result", result));
            }
        }

        w.Family("stackvault_tier_lag_snapshots", "gauge", "How many of the job's snapshots the tier lacked after the last copy.");
        foreach (var row in rows.Where(r => r.State?.Last is not null))
        {
            w.Sample(row.State!.Last!.LagSnapshots, ("job", row.Job), ("tier", row.Tier));
        }
    }

    private static void Maintenance(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state)
    {
        w.Family("stackvault_retention_removed_snapshots_total", "counter", "Snapshots the job's retention policy removed.");
        foreach (var job in jobs)
        {
            w.Sample(Of(state, job)?.RetentionRemovedSnapshotsTotal ?? 0, ("job", job.Name));
        }

        Each(w, jobs, state, "stackvault_prune_last_success_timestamp_seconds", "When a prune after the job's retention last finished (Unix time).", s => s.PruneLastSuccessAt is { } at ? Seconds(at) : null);
        Each(w, jobs, state, "stackvault_verify_last_success_timestamp_seconds", "When the job's scheduled verify last passed (Unix time).", s => s.Verify?.LastSuccessAt is { } at ? Seconds(at) : null);
        Each(w, jobs, state, "stackvault_verify_last_status", "1 when the job's last scheduled verify passed, else 0.", s => s.Verify is { } v ? (v.Ok ? 1 : 0) : null);
        Each(w, jobs, state, "stackvault_drill_last_success_timestamp_seconds", "When the job's restore drill last passed (Unix time).", s => s.Drill?.LastSuccessAt is { } at ? Seconds(at) : null);
        Each(w, jobs, state, "stackvault_drill_rto_seconds", "How long the job's last restore drill took to restore (the measured RTO).", s => s.Drill?.RtoSeconds);
        Each(w, jobs, state, "stackvault_drill_last_status", "1 when the job's last restore drill passed, else 0.", s => s.Drill is { } d ? (d.Ok ? 1 : 0) : null);
    }
}
