using System.CommandLine;
using System.Globalization;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs;
using Stackvault.Telemetry;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault status</c>: each job's last success, its age against the RPO, last run, last verify and next run,
/// from status.json (works when Prometheus is down). Exit 0 when every job with an rpo is within it, 4 when any is
/// breached or never succeeded: a cron job or systemd timer can alert on it.
/// </summary>
internal static class StatusCommand
{
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file (for the jobs and their RPOs). Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}; without one, the jobs status.json knows" };

    private static readonly Option<string?> JobName = new("--job") { Description = "Only this job (the exit code then speaks for it alone)" };

    public static Command Create()
    {
        var command = new Command("status", "Show each job's last backup, age against its RPO, last verify and next run (exit 4 when an RPO is breached)") { ConfigFile, JobName };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parse)
    {
        var output = Program.Output(parse);
        StackvaultConfig? config = null;
        var explicitConfig = parse.GetValue(ConfigFile);
        try
        {
            config = JobBackup.LoadConfig(explicitConfig);
        }
        catch (StackvaultException) when (explicitConfig is null)
        {
            output.Warn("no config file found: showing the jobs status.json knows, without RPOs");
        }

        var store = new StatusStore(StateDirectory.Resolve(parse.GetValue(GlobalOptions.StateDir)), TimeProvider.System);
        var state = store.Load();
        var jobs = MonitoredJob.From(config, state);
        if (parse.GetValue(JobName) is { } only)
        {
            jobs = jobs.Any(j => j.Name == only) ? [.. jobs.Where(j => j.Name == only)]
                : throw new UsageException($"no job named '{only}'{(config is null ? " in status.json" : " in " + config.SourceName)}; jobs: {string.Join(", ", jobs.Select(j => j.Name))}");
        }

        var report = StatusReport.Build(jobs, state, store.Directory, TimeProvider.System.GetUtcNow());
        if (output.Json)
        {
            output.Result(report.ToJson());
        }
        else
        {
            Render(output, report);
        }

        return (int)(report.Ok ? ExitCode.Ok : ExitCode.RpoBreached);
    }

    private static void Render(CliOutput output, StatusReport report)
    {
        output.Result($"{"JOB",-20} {"LAST SUCCESS",-20} {"AGE",-9} {"RPO",-8} {"RPO STATE",-16} {"LAST RUN",-9} {"MISSED",-6} {"VERIFY",-7} NEXT RUN");
        foreach (var job in report.Jobs)
        {
            var success = job.LastSuccess is { } s ? When(s.Start) : "never";
            var age = job.AgeSeconds is { } a ? Units.Duration(TimeSpan.FromSeconds(Math.Round(a))) : "-";
            var rpo = job.RpoSeconds is { } r ? Units.Duration(TimeSpan.FromSeconds(r)) : "-";
            var verify = job.Verify is { } v ? (v.Ok ? "ok" : "FAILED") : "-";
            // a next run well in the past: the daemon is not running (or is stuck); say so instead of a stale time
            var next = job.NextRun is { } n ? When(n) + (n < report.GeneratedAt.AddMinutes(-1) ? " (overdue: is `stackvault run` running?)" : string.Empty) : "-";
            output.Result($"{job.Job,-20} {success,-20} {age,-9} {rpo,-8} {job.RpoState,-16} {job.LastRun?.Status.Name() ?? "-",-9} {job.MissedRunsTotal,-6} {verify,-7} {next}");
            if (job.LastRun is { Error: { } error })
            {
                output.Result($"  last run: {error}");
            }

            Retention(output, job.Repository ?? "repository", job.LastRetention);
            foreach (var (name, tier) in job.Tiers.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                output.Result(TierLine(name, tier));
                Retention(output, name, tier.LastRetention);
            }

            if (job.Drill is { } drill)
            {
                var target = drill.RtoTargetSeconds is { } t ? $" (target {Seconds(t)}{(drill.RtoMet == false ? ", MISSED" : string.Empty)})" : string.Empty;
                output.Result($"  drill: {(drill.Ok ? "ok" : "FAILED")} {When(drill.At)}, rto {Seconds(drill.RtoSeconds)}{target}, last passed {(drill.LastSuccessAt is { } d ? When(d) : "never")}");
            }
        }

        output.Info($"state: {Path.Combine(report.StateDirectory, StatusStore.FileName)}");
        output.Info(report.Ok ? "all jobs within their RPO" : "RPO breached (exit 4)");
    }

    private static string Seconds(double seconds) =>
        seconds < 10 ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" : Units.Duration(TimeSpan.FromSeconds(Math.Round(seconds)));

    /// <summary>The last retention in one repository or tier: which retention applied, and which rule keeps each snapshot.</summary>
    private static void Retention(CliOutput output, string repository, RetentionRecord? retention)
    {
        if (retention is null)
        {
            return;
        }

        output.Result($"  retention in {repository} ({retention.Policy ?? "job retention"}) {When(retention.At)}: {retention.RemovedSnapshots} removed{(retention.Kept is { } k ? $", {k.Count} kept" : string.Empty)}");
        foreach (var kept in retention.Kept ?? [])
        {
            output.Result($"    keep {kept.Id[..Math.Min(8, kept.Id.Length)]} {When(kept.Time)}  {string.Join(", ", kept.Reasons)}");
        }
    }

    /// <summary>One <c>copy_to</c> tier: last result and when, the lag in snapshots, the last good copy, and why a copy did not succeed.</summary>
    private static string TierLine(string name, TierState tier)
    {
        var last = tier.Last is { } l ? $"{l.Result} {When(l.At)}, lag {l.LagSnapshots} snapshot{(l.LagSnapshots == 1 ? "" : "s")}" : "no copy yet";
        var newest = tier.Newest is { } n ? $", newest {n.Id[..Math.Min(8, n.Id.Length)]} {When(n.Time)}" : string.Empty;
        var line = $"  tier {name}: {last}, last success {(tier.LastSuccessAt is { } at ? When(at) : "never")}{newest}";
        return tier.Last is { Result: not TierCopyRecord.Success, Message: { } message } ? $"{line}: {message}" : line;
    }

    private static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
