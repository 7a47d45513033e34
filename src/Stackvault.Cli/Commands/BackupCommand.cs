using System.CommandLine;
using Stackvault.Backup;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault backup PATH...</c>: saves a snapshot of the paths.</summary>
internal static class BackupCommand
{
    private static readonly Argument<string[]> Paths = new("paths") { Description = "Files and directories to back up", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string[]> Tags = new("--tag") { Description = "Tag the snapshot (repeatable)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<string?> Host = new("--host") { Description = "Host name recorded in the snapshot (default: this machine's)" };
    private static readonly Option<string[]> Excludes = new("--exclude", "-e") { Description = "Leave out paths matching the pattern (repeatable)" };
    private static readonly Option<string?> Parent = new("--parent") { Description = "Compare against this snapshot instead of the latest of the same host and paths" };
    private static readonly Option<bool> Force = new("--force") { Description = "Read every file, even those the parent says are unchanged" };
    private static readonly Option<string?> Job = new("--job") { Description = "Back up this job of the config file: all its components in one snapshot" };
    private static readonly Option<string[]> Components = new("--component") { Description = "Back up only this component (repeatable); without --job, give --repo" };
    internal static readonly Option<string?> Only = new Option<string?>("--only") { Description = "With --job/--component: back up only the config items (grafana.ini, provisioning, files components, globals) or only the data items (TSDB, databases, dumps, chunks)" }.AcceptOnlyFromAmong("config", "data");
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file for --job/--component. Default: ./{Configuration.ConfigDiscovery.FileName}, then {Configuration.ConfigDiscovery.SystemPath}" };

    private static readonly Option<string?> MetricsTextfile = new("--metrics-textfile") { Description = "With --job: write the jobs' metrics to this *.prom file for node_exporter's textfile collector (atomically)" };
    private static readonly Option<string?> Pushgateway = new("--pushgateway") { Description = "With --job: push the job's metrics to this Prometheus Pushgateway URL (group job/<job>/instance/<host>)" };

    public static Command Create()
    {
        var command = new Command("backup", "Back up files and directories into a new snapshot") { Paths, Tags, Host, Excludes, Parent, Force, Job, Components, ConfigFile, Only, MetricsTextfile, Pushgateway };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var paths = parse.GetValue(Paths) ?? [];
        if (parse.GetValue(Job) is not null || (parse.GetValue(Components) ?? []).Length > 0)
        {
            return paths.Length > 0
                ? throw new UsageException("give either paths or --job/--component, not both")
                : await JobBackup.RunAsync(parse, parse.GetValue(Job), parse.GetValue(Components) ?? [], parse.GetValue(ConfigFile), parse.GetValue(Parent), TemplateOf(parse),
                    new JobBackup.Publishing(parse.GetValue(MetricsTextfile), parse.GetValue(Pushgateway)), cancellationToken);
        }

        if (parse.GetValue(MetricsTextfile) is not null || parse.GetValue(Pushgateway) is not null)
        {
            throw new UsageException("--metrics-textfile and --pushgateway need --job");
        }

        if (parse.GetValue(Only) is not null)
        {
            throw new UsageException("--only goes with --job/--component");
        }

        if (paths.Length == 0)
        {
            throw new UsageException("nothing to back up: give at least one path, or --job NAME");
        }

        var output = Program.Output(parse);

        // The source is listed on a thread of its own while the repository opens (the key derivation takes one core),
        // and when every file will be read (--force, or no snapshot in the repository yet) its first files are read ahead.
        var force = parse.GetValue(Force);
        var explicitParent = parse.GetValue(Parent) is not null;
        var location = RepositoryAccess.Location(parse);
        using var prescan = SourcePrescan.Start(paths, parse.GetValue(Excludes) ?? [], () => force || (!explicitParent && NoSnapshotYet(location)));
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "backup", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        ObjectId? parent = null;
        if (parse.GetValue(Parent) is { } parentRef)
        {
            parent = (await repository.FindSnapshotAsync(parentRef, null, cancellationToken)).Id;
        }

        var options = new BackupOptions
        {
            Paths = parse.GetValue(Paths) ?? [],
            Tags = parse.GetValue(Tags) ?? [],
            Excludes = parse.GetValue(Excludes) ?? [],
            Hostname = parse.GetValue(Host) ?? Environment.MachineName,
            Parent = parent,
            Force = parse.GetValue(Force),
            ScanTotals = output.ShowProgress || output.Json,
            Prescan = prescan,
        };
        var progress = new BackupProgress();
        using var display = new ProgressDisplay(output, progress, repository.Time, "backup");
        var result = await new BackupRunner(repository, repositoryLock, options, progress).RunAsync(cancellationToken);
        display.Stop();
        BackupReport.Write(output, result);
        return (int)(result.IsPartial ? ExitCode.Partial : ExitCode.Ok);
    }

    /// <summary>Whether the repository at <paramref name="location"/> exists and holds no snapshot (listing only: no key needed).</summary>
    internal static bool NoSnapshotYet(string location)
    {
        return Task.Run(async () =>
        {
            var storage = StorageFactory.Open(location);
            await using (storage.ConfigureAwait(false))
            {
                if (!await storage.RepositoryExistsAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    return false; // the backup fails as it opens: nothing to read ahead for
                }

                await foreach (var _ in storage.ListAsync(ObjectKind.Snapshot, CancellationToken.None).ConfigureAwait(false))
                {
                    return false;
                }

                return true;
            }
        }).GetAwaiter().GetResult();
    }

    /// <summary>The options a job run shares with a plain backup (its parent is resolved once the repository is open).</summary>
    private static BackupOptions TemplateOf(ParseResult parse) => new()
    {
        Tags = parse.GetValue(Tags) ?? [],
        Excludes = parse.GetValue(Excludes) ?? [],
        Hostname = parse.GetValue(Host) ?? Environment.MachineName,
        Force = parse.GetValue(Force),
    };
}
