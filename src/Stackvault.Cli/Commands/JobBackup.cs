using System.CommandLine;
using Stackvault.Backup;
using Stackvault.Cli.Output;
using Stackvault.Components;
using Stackvault.Components.Grafana;
using Stackvault.Components.Loki;
using Stackvault.Components.Postgres;
using Stackvault.Components.Prometheus;
using Stackvault.Components.Tempo;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs;
using Stackvault.Jobs.Hooks;
using Stackvault.Locking;
using Stackvault.Repository;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault backup --job NAME [--component NAME]...</c>: one snapshot of a job's components from stackvault.yaml,
/// into the job's repository (or --repo). Exit 3 when any component failed or is partial.
/// </summary>
internal static class JobBackup
{
    public static async Task<int> RunAsync(
        ParseResult parse, string? jobName, string[] componentNames, string? configFile, string? parentRef, BackupOptions template, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var path = ConfigDiscovery.Resolve(configFile);
        var (config, problems) = ConfigLoader.Load(path);
        if (config is null)
        {
            throw new StackvaultException($"{path}: {problems.Count} problem(s), first: {problems[0]} (run `stackvault config validate`)", ExitCode.Usage);
        }

        var selection = JobSelection.Resolve(config, jobName, componentNames);
        await using var repository = await OpenAsync(parse, selection, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "backup", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        ObjectId? parent = parentRef is null ? null : (await repository.FindSnapshotAsync(parentRef, null, cancellationToken)).Id;
        var options = new BackupOptions { Tags = template.Tags, Excludes = template.Excludes, Hostname = template.Hostname, Force = template.Force, Parent = parent };

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        IReadOnlyList<IComponentAdapter> adapters =
            [new FilesAdapter(), new CommandAdapter(), new PrometheusAdapter(http, TimeProvider.System), new GrafanaAdapter(repository.IsEncrypted),
             new LokiAdapter(http), new TempoAdapter(http), new PostgresAdapter(), new Buckets.BucketComponentAdapter()];
        var progress = new BackupProgress();
        using var display = new ProgressDisplay(output, progress, repository.Time);
        using var hookHttp = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var hooks = new HookRunner(hookHttp);
        var result = await new JobRunner(repository, repositoryLock, adapters, progress, hooks, message => output.Warn($"hook: {message}")).RunAsync(selection, options, cancellationToken);
        display.Stop();
        foreach (var error in result.CleanupErrors)
        {
            output.Warn($"cleanup: {error}");
        }

        BackupReport.Write(output, result.Backup, result.Components);
        return (int)(result.IsPartial ? ExitCode.Partial : ExitCode.Ok);
    }

    /// <summary>--repo wins; else the job's repository entry (its password, or the usual sources); else STACKVAULT_REPOSITORY.</summary>
    private static ValueTask<Repository.Repository> OpenAsync(ParseResult parse, JobSelection selection, CancellationToken cancellationToken)
    {
        string? passwordFromSources() => PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile));
        if (parse.GetValue(GlobalOptions.Repo) is null && selection.Repository is { } entry)
        {
            return RepositoryAccess.OpenAsync(entry.Url, () => entry.Password?.Reveal() ?? passwordFromSources(), cancellationToken);
        }

        return RepositoryAccess.OpenAsync(parse, cancellationToken);
    }
}
