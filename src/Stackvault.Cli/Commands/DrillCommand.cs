using System.CommandLine;
using System.Globalization;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Errors;
using Stackvault.Jobs;
using Stackvault.Locking;
using Stackvault.Progress;
using Stackvault.Telemetry;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault drill --job NAME [--snapshot S] [--scratch DIR] [--report-dir DIR] [--metrics-textfile F]</c>: a restore
/// drill of a job's snapshot into scratch space (never the live locations), checked at the engine level per component.
/// Exit 0 when every check passed, 1 when any failed (the failed components named on one line).
/// </summary>
internal static class DrillCommand
{
    private static readonly Option<string> Job = new("--job") { Description = "The job of stackvault.yaml whose snapshot to drill", Required = true };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file. Default: ./{ConfigDiscovery.FileName}, then {ConfigDiscovery.SystemPath}" };
    private static readonly Option<string> SnapshotRef = new("--snapshot") { Description = "Snapshot id (prefix), or 'latest': the latest snapshot of the job", DefaultValueFactory = _ => "latest" };
    private static readonly Option<string?> Scratch = new("--scratch") { Description = "Scratch directory to restore into (new or empty; deleted afterwards). Default: a new directory under $TMPDIR" };
    private static readonly Option<bool> KeepScratch = new("--keep-scratch") { Description = "Keep the scratch directory for inspection" };
    private static readonly Option<string?> ReportDir = new("--report-dir") { Description = "Write the report there as drill-<job>-<time>.json, .md and .html" };
    private static readonly Option<string?> MetricsTextfile = new("--metrics-textfile") { Description = "Write the drill metrics there (Prometheus text format, atomically), e.g. for node_exporter's textfile collector" };

    public static Command Create()
    {
        var command = new Command("drill", "Restore a job's snapshot into scratch space and check every component at the engine level; measure the recovery time")
            { Job, ConfigFile, SnapshotRef, Scratch, KeepScratch, ReportDir, MetricsTextfile };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, _) = ConfigAccess.Load(parse.GetValue(ConfigFile));

        var jobName = parse.GetValue(Job)!;
        var selection = JobSelection.Resolve(config, jobName, []);
        var progress = new OperationProgress();
        var options = new DrillOptions
        {
            Progress = progress,
            Job = jobName,
            Snapshot = parse.GetValue(SnapshotRef)!,
            ScratchDirectory = parse.GetValue(Scratch) ?? Path.Combine(Path.GetTempPath(), $"stackvault-drill-{Guid.NewGuid():N}"),
            KeepScratch = parse.GetValue(KeepScratch),
        };
        options.Validate();

        await using var repository = await JobBackup.OpenAsync(parse, selection, cancellationToken);
        DrillReport report;
        await using (var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "drill", cancellationToken))
        {
            await repository.LoadIndexAsync(cancellationToken);
            output.Info($"drilling job {jobName} into {options.ScratchDirectory} ...");
            using var display = new ProgressDisplay(output, progress, TimeProvider.System, "drill");
            report = await new DrillRunner(repository, config, options, TimeProvider.System).RunAsync(cancellationToken);
            progress.Finish();
            display.Stop();
        }

        IReadOnlyList<string> files = [];
        if (parse.GetValue(ReportDir) is { } reportDir)
        {
            files = await DrillReportFiles.WriteAsync(report, reportDir, cancellationToken);
        }

        if (parse.GetValue(MetricsTextfile) is { } metrics)
        {
            await DrillMetrics.WriteTextfileAsync(report, metrics, cancellationToken);
        }

        Record(parse, output, config, config.Jobs[jobName], report);
        Print(output, report, files);
        return (int)(report.Passed ? ExitCode.Ok : ExitCode.Failure);
    }

    private static void Print(CliOutput output, DrillReport report, IReadOnlyList<string> files)
    {
        if (output.Json)
        {
            output.Line("summary", DrillReportJson.Model(report), CliJsonContext.Relaxed.DrillReportDocument); // the drill-*.json report's shape
            return;
        }

        foreach (var c in report.Components)
        {
            var rto = $"RTO {DrillReportText.Seconds(c.RtoSeconds)} (restore {DrillReportText.Seconds(c.RestoreSeconds)}, check {DrillReportText.Seconds(c.CheckSeconds)}; target {DrillReportText.Seconds(c.RtoTargetSeconds)}{(c.RtoMet ? string.Empty : ", MISSED")})";
            output.Result($"{(c.Passed ? "ok    " : "FAILED")} {c.Name} ({c.Type}): {c.Checks.Count(k => k.Passed)}/{c.Checks.Count} checks, {rto}");
            foreach (var failure in c.Failures)
            {
                output.Result($"         {failure}");
            }
        }

        foreach (var file in files)
        {
            output.Info($"report: {file}");
        }

        output.Result(string.Create(CultureInfo.InvariantCulture,
            $"drill of job {report.Job}, snapshot {report.SnapshotId[..8]}: {report.Status}, total RTO {DrillReportText.Seconds(report.TotalRtoSeconds)}"));
        if (!report.Passed)
        {
            output.Error(report.FailureLine());
        }
    }

    /// <summary>
    /// A drill the daemon runs on a job's <c>drill:</c> schedule: the latest snapshot into a fresh scratch directory,
    /// the result recorded in status.json (and so in the stackvault_drill_* metrics) and logged.
    /// </summary>
    public static async ValueTask RunScheduledAsync(ParseResult parse, StackvaultConfig config, StatusStore store, JobConfig job, Log log, CancellationToken cancellationToken)
    {
        var selection = JobSelection.Resolve(config, job.Name, []);
        var options = new DrillOptions { Job = job.Name, ScratchDirectory = Path.Combine(Path.GetTempPath(), $"stackvault-drill-{Guid.NewGuid():N}") };
        options.Validate();
        await using var repository = await JobBackup.OpenAsync(parse, selection, cancellationToken);
        DrillReport report;
        await using (var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "drill", cancellationToken))
        {
            await repository.LoadIndexAsync(cancellationToken);
            report = await new DrillRunner(repository, config, options, TimeProvider.System).RunAsync(cancellationToken);
        }

        RecordDrill(store, job, report);
        if (report.Passed)
        {
            log.Info("drill passed", ("job", job.Name), ("rto_seconds", report.TotalRtoSeconds));
        }
        else
        {
            log.Error("drill failed", ("job", job.Name), ("error", report.FailureLine()));
        }
    }

    /// <summary>The drill in status.json, with the job's RTO target and whether it was met (<c>rto:</c> of the job).</summary>
    private static void RecordDrill(StatusStore store, JobConfig job, DrillReport report)
    {
        var anyData = report.Components.Any(c => DrillTargets.IsData(c.Type));
        store.RecordDrill(
            job.Name, report.Passed, report.TotalRtoSeconds, TimeProvider.System.GetUtcNow(),
            job.Rto.TargetSeconds(anyData), report.Components.Count > 0 && job.Rto.Met(report.TotalRtoSeconds, report.Components.Select(c => c.RtoMet)));
    }

    private static void Record(ParseResult parse, CliOutput output, StackvaultConfig config, JobConfig job, DrillReport report)
    {
        try
        {
            var store = new StatusStore(StateDirectory.Resolve(parse.GetValue(GlobalOptions.StateDir)), TimeProvider.System);
            RecordDrill(store, job, report);
            FailsafeExport.TryWrite(config, store, TimeProvider.System.GetUtcNow(), output.Warn);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StackvaultException)
        {
            output.Warn($"cannot record the drill in the status file: {e.Message}");
        }
    }
}
