using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>
/// The metrics, built from the status state (so a restarted daemon keeps its last-success timestamps) and the
/// configured jobs. Counters exist from 0 for every configured job and result, so absence alerts work. The names are
/// a contract (dashboards and alert rules use them): see docs/operations.md.
/// </summary>
public static partial class MetricsBuilder
{
    public static string Build(IReadOnlyList<MonitoredJob> jobs, StatusFile state, DateTimeOffset now, string version) =>
        Write(jobs, state, now, version).ToString();

    /// <summary>The same metrics as data, for the OTLP push.</summary>
    public static IReadOnlyList<MetricFamily> Families(IReadOnlyList<MonitoredJob> jobs, StatusFile state, DateTimeOffset now, string version) =>
        Write(jobs, state, now, version).Families;

    private static ExpositionWriter Write(IReadOnlyList<MonitoredJob> jobs, StatusFile state, DateTimeOffset now, string version)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(state);
        var w = new ExpositionWriter();
        w.Family("stackvault_up", "gauge", "1 while Stackvault's exporter works.").Sample(1);
        w.Family("stackvault_build_info", "gauge", "Stackvault's version, as a label; always 1.").Sample(1, ("version", version));
        Backups(w, jobs, state);
        Components(w, jobs, state);
        Rpo(w, jobs, state, now);
        Tiers(w, jobs, state);
        Maintenance(w, jobs, state);
        return w;
    }

    private static JobState? Of(StatusFile state, MonitoredJob job) => state.Jobs.GetValueOrDefault(job.Name);

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    private static void Backups(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state)
    {
        Each(w, jobs, state, "stackvault_backup_last_success_timestamp_seconds", "When the last complete backup of the job started (Unix time).", s => s.LastSuccess is { } o ? Seconds(o.Start) : null);
        Each(w, jobs, state, "stackvault_backup_last_run_timestamp_seconds", "When the last backup run of the job started (Unix time).", s => s.LastRun is { } o ? Seconds(o.Start) : null);
        Each(w, jobs, state, "stackvault_backup_last_status", "1 when the last run succeeded, 0 when it failed or was partial.", s => s.LastRun is { } o ? (o.IsSuccess ? 1 : 0) : null);
        Each(w, jobs, state, "stackvault_backup_duration_seconds", "Duration of the last backup run.", s => s.LastRun?.DurationSeconds);
        Each(w, jobs, state, "stackvault_backup_size_bytes", "Bytes of all files in the last run's snapshot.", s => s.LastRun is { SnapshotId: not null } o ? o.SizeBytes : null);
        Each(w, jobs, state, "stackvault_backup_added_bytes", "Bytes the last run added to the repository (compressed, encrypted).", s => s.LastRun is { SnapshotId: not null } o ? o.AddedBytes : null);

        w.Family("stackvault_backup_runs_total", "counter", "Backup runs by result: success, partial, failure.");
        foreach (var job in jobs)
        {
            foreach (var result in JobStatuses.All.Select(r => r.Name()))
            {
                w.Sample(Of(state, job)?.RunsTotal.GetValueOrDefault(result) ?? 0, ("job", job.Name), ("result", result));
            }
        }

        w.Family("stackvault_backup_missed_runs_total", "counter", "Due runs that did not happen (the previous run still going, or the daemon down or asleep).");
        foreach (var job in jobs)
        {
            w.Sample(Of(state, job)?.MissedRunsTotal ?? 0, ("job", job.Name));
        }
    }

    private static void Components(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state)
    {
        var rows = jobs.SelectMany(j => Of(state, j)?.LastRun?.Components.Select(c => (Job: j.Name, Component: c)) ?? []).ToList();
        w.Family("stackvault_component_last_status", "gauge", "1 when the component was complete in the job's last run, else 0.");
        rows.ForEach(r => w.Sample(r.Component.Status == Repository.Model.ComponentStatus.Complete ? 1 : 0, ("job", r.Job), ("component", r.Component.Name)));
        w.Family("stackvault_component_duration_seconds", "gauge", "How long preparing the component took in the last run.");
        rows.ForEach(r => w.Sample(r.Component.DurationSeconds, ("job", r.Job), ("component", r.Component.Name)));
        w.Family("stackvault_component_size_bytes", "gauge", "Bytes of the component's files in the last run's snapshot.");
        rows.ForEach(r => w.Sample(r.Component.SizeBytes, ("job", r.Job), ("component", r.Component.Name)));
    }

    private static void Rpo(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state, DateTimeOffset now)
    {
        w.Family("stackvault_rpo_seconds", "gauge", "The job's configured recovery point objective.");
        foreach (var job in jobs.Where(j => j.Rpo is not null))
        {
            w.Sample(job.Rpo!.Value.TotalSeconds, ("job", job.Name));
        }

        w.Family("stackvault_backup_age_seconds", "gauge", "Seconds since the last complete backup of the job started.");
        var evaluated = jobs.Select(j => (Job: j, Rpo: RpoState.Evaluate(j, Of(state, j), now))).ToList();
        foreach (var (job, rpo) in evaluated.Where(e => e.Rpo.AgeSeconds is not null))
        {
            w.Sample(rpo.AgeSeconds!.Value, ("job", job.Name));
        }

        w.Family("stackvault_rpo_breached", "gauge", "1 when the job has an RPO and its last complete backup is older (or there is none), else 0.");
        foreach (var (job, rpo) in evaluated.Where(e => e.Job.Rpo is not null))
        {
            w.Sample(rpo.Breached ? 1 : 0, ("job", job.Name));
        }
    }

    private static void Each(ExpositionWriter w, IReadOnlyList<MonitoredJob> jobs, StatusFile state, string name, string help, Func<JobState, double?> value)
    {
        w.Family(name, "gauge", help);
        foreach (var job in jobs)
        {
            if (Of(state, job) is { } s && value(s) is { } v)
            {
                w.Sample(v, ("job", job.Name));
            }
        }
    }
}
