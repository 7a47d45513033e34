using System.CommandLine;
using System.Runtime.ExceptionServices;
using Stackvault.Backup;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs;
using Stackvault.Telemetry;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault backup --job NAME [--component NAME]...</c>: one snapshot of a job's components from stackvault.yaml,
/// into the job's repository (or --repo), through the same <see cref="JobPipeline"/> as the daemon. The run is
/// recorded in status.json; with --metrics-textfile / --pushgateway its metrics are published. Exit 3 when any
/// component failed or is partial.
/// </summary>
internal static class JobBackup
{
    public sealed record Publishing(string? Textfile, string? Pushgateway);

    public static async Task<int> RunAsync(
        ParseResult parse, string? jobName, string[] componentNames, string? configFile, string? parentRef, BackupOptions template, Publishing publishing, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        if (publishing.Textfile is { } file && !file.EndsWith(".prom", StringComparison.Ordinal))
        {
            throw new UsageException($"--metrics-textfile {file}: the node_exporter textfile collector reads only *.prom files");
        }

        if (publishing.Pushgateway is { } gateway)
        {
            MetricsPublisher.GroupUrl(gateway, "check", "check"); // a bad URL is a usage error before the backup, not after
        }

        var config = LoadConfig(configFile);
        var selection = JobSelection.Resolve(config, jobName, componentNames, parse.GetValue(BackupCommand.Only));
        var store = new StatusStore(StateDirectory.Resolve(parse.GetValue(GlobalOptions.StateDir)), TimeProvider.System);
        using var notifier = Notifications.Notifier.FromConfig(config);
        var progress = new BackupProgress();
        using var display = new ProgressDisplay(output, progress, TimeProvider.System, "backup");
        // --log-format json: the run's warnings and tier results as JSON lines on stderr (for Loki), not as text
        var jsonLog = parse.GetResult(GlobalOptions.LogFormat) is not null && parse.GetValue(GlobalOptions.LogFormat) == "json" ? GlobalOptions.Log(parse) : null;
        var runName = selection.Job?.Name ?? string.Empty;
        var options = new JobPipelineOptions
        {
            OpenRepository = (s, ct) => OpenAsync(parse, s, ct),
            Template = template,
            ParentRef = parentRef,
            LockRetry = parse.GetValue(GlobalOptions.LockWait),
            Timeout = selection.Job?.Timeout,
            Progress = progress,
            Warn = jsonLog is { } log ? message => log.Warn(message, ("job", runName)) : output.Warn,
            TierCopied = jsonLog is { } tierLog ? copy => AftercareLog.TierCopy(tierLog, runName, copy) : null,
            Config = config,
            OpenConfiguredRepository = (entry, ct) => OpenConfiguredAsync(parse, entry, ct),
            Notifier = notifier,
        };
        var outcome = await new JobPipeline(TimeProvider.System, store).RunAsync(selection, options, cancellationToken);
        display.Stop();
        if (jsonLog is not null)
        {
            AftercareLog.Retention(jsonLog, outcome);
        }

        if (selection.Job is not null)
        {
            await PublishAsync(output, config, store, outcome, publishing, cancellationToken);
            FailsafeExport.TryWrite(config, store, TimeProvider.System.GetUtcNow(), output.Warn);
        }

        if (outcome.Exception is { } exception)
        {
            ExceptionDispatchInfo.Throw(exception);
        }

        var result = outcome.Result!;
        foreach (var error in result.CleanupErrors)
        {
            output.Warn($"cleanup: {error}");
        }

        BackupReport.Write(output, result.Backup, result.Components);
        return (int)(result.IsPartial ? ExitCode.Partial : ExitCode.Ok);
    }

    public static StackvaultConfig LoadConfig(string? configFile) => ConfigAccess.Load(configFile).Config;

    /// <summary>--repo wins; else the job's repository entry (its password, or the usual sources); else STACKVAULT_REPOSITORY.</summary>
    public static ValueTask<Repository.Repository> OpenAsync(ParseResult parse, JobSelection selection, CancellationToken cancellationToken)
    {
        string? passwordFromSources() => PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile));
        if (parse.GetValue(GlobalOptions.Repo) is null && selection.Repository is { } entry)
        {
            return RepositoryAccess.OpenAsync(entry.Url, () => entry.Password?.Reveal() ?? passwordFromSources(), cancellationToken);
        }

        return RepositoryAccess.OpenAsync(parse, cancellationToken);
    }

    /// <summary>A configured repository (a copy_to tier): its own password entry, else the usual sources.</summary>
    public static ValueTask<Repository.Repository> OpenConfiguredAsync(ParseResult parse, RepositoryConfigEntry entry, CancellationToken cancellationToken) =>
        RepositoryAccess.OpenAsync(entry.Url, () => entry.Password?.Reveal() ?? PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile)), cancellationToken);

    /// <summary>Metrics of the run: failures to publish are warnings, never a change of the backup's exit code.</summary>
    private static async Task PublishAsync(CliOutput output, StackvaultConfig config, StatusStore store, JobOutcome outcome, Publishing publishing, CancellationToken cancellationToken)
    {
        if (publishing.Textfile is null && publishing.Pushgateway is null)
        {
            return;
        }

        var state = store.Load();
        var now = TimeProvider.System.GetUtcNow();
        var jobs = MonitoredJob.From(config, state);
        if (publishing.Textfile is { } textfile)
        {
            try
            {
                MetricsPublisher.WriteTextfile(textfile, MetricsBuilder.Build(jobs, state, now, BuildInfo.Version));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.Warn($"cannot write the metrics textfile {textfile}: {e.Message}");
            }
        }

        if (publishing.Pushgateway is { } gateway)
        {
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var metrics = MetricsBuilder.Build([.. jobs.Where(j => j.Name == outcome.Job)], state, now, BuildInfo.Version);
                await MetricsPublisher.PushAsync(http, gateway, outcome.Job, Environment.MachineName, metrics, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException || e is StackvaultException and not UsageException)
            {
                output.Warn($"cannot push metrics: {e.Message}");
            }
        }
    }
}
