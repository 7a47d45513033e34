using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Progress;
using Stackvault.Restore;
using Stackvault.Restore.Live;

namespace Stackvault.Cli.Commands;

/// <summary>
/// <c>stackvault restore SNAPSHOT --target DIR</c>: staged restore, then swap into place. Without --target,
/// <c>--component NAME</c> or <c>--job NAME</c> restores into the live locations of stackvault.yaml (RestoreCommand.Live.cs);
/// <c>--rollback</c> and <c>--cleanup</c> act on the pre-restore copies a live restore left.
/// </summary>
internal static partial class RestoreCommand
{
    private static readonly Argument<string?> SnapshotRef = new("snapshot") { Description = "Snapshot id (prefix) or 'latest' (not with --rollback/--cleanup)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> Target = new("--target", "-t") { Description = "Directory to restore into (created; existing entries replaced are kept as *.pre-restore-TIME). Without it, --component/--job restore into the live locations of the config file" };
    private static readonly Option<string[]> Includes = new("--include", "-i") { Description = "Restore only paths matching the pattern (repeatable)" };
    private static readonly Option<string[]> Excludes = new("--exclude", "-e") { Description = "Leave out paths matching the pattern (repeatable)" };
    private static readonly Option<bool> DryRun = new("--dry-run", "-n") { Description = "Print what would be restored (created, replaced, left alone); change nothing" };
    private static readonly Option<bool> Verify = new("--verify") { Description = "Read every restored file back and check it before swapping it into place (always on for a live restore)" };
    private static readonly Option<string?> Host = new("--host") { Description = "With 'latest': the latest snapshot of this host" };
    private static readonly Option<string?> Component = new("--component") { Description = "Restore only this component: into --target, else into its live location from the config file" };
    private static readonly Option<string?> Job = new("--job") { Description = "Restore every component of this job into its live location, in the job's order" };
    private static readonly Option<string?> ConfigFile = new("--config") { Description = $"The config file for a live restore. Default: ./{Configuration.ConfigDiscovery.FileName}, then {Configuration.ConfigDiscovery.SystemPath}" };
    private static readonly Option<bool> Yes = new("--yes", "-y") { Description = "Confirm a live restore that replaces existing data (see it first with --dry-run)" };
    private static readonly Option<bool> Strict = new("--strict") { Description = "Fail (before changing anything) when the running engine's version differs from the snapshot's" };
    private static readonly Option<string> ReadyTimeout = new("--ready-timeout") { Description = "How long to wait for the engine to answer ready after the start hooks", DefaultValueFactory = _ => "60s" };
    private static readonly Option<string?> PrometheusRetention = new("--prometheus-retention") { Description = "The target Prometheus's retention, for the old-block warning (default: the component's retention, else 15d)" };
    private static readonly Option<string?> TargetDatabase = new("--target-database") { Description = "PostgreSQL component: restore its dump into this database (a new one, or an existing one with --force)" };
    private static readonly Option<bool> Force = new("--force") { Description = "PostgreSQL: replace an existing database (kept as <db>_pre_restore_<time>)" };
    private static readonly Option<int> PgJobs = new("--pg-jobs") { Description = "pg_restore --jobs", DefaultValueFactory = _ => 2 };
    private static readonly Option<bool> Rollback = new("--rollback") { Description = "Put the newest *.pre-restore-TIME copies of --component/--job back (runs the restore stop/start hooks)" };
    private static readonly Option<bool> Cleanup = new("--cleanup") { Description = "Remove the *.pre-restore-TIME copies of --component/--job" };
    private static readonly Option<string?> Only = new Option<string?>("--only") { Description = "Restore only the config items (grafana.ini, provisioning, plugins, files components, globals) or only the data items (TSDB, databases, dumps, chunks); the others are left untouched" }.AcceptOnlyFromAmong("config", "data");

    public static Command Create()
    {
        var command = new Command("restore", "Restore a snapshot into a directory, or components into their live locations")
        {
            SnapshotRef, Target, Includes, Excludes, DryRun, Verify, Host, Component, Job, ConfigFile, Yes, Strict, ReadyTimeout,
            PrometheusRetention, TargetDatabase, Force, PgJobs, Rollback, Cleanup, Only,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Rollback) || parse.GetValue(Cleanup))
        {
            return await MaintainAsync(parse, cancellationToken);
        }

        if (parse.GetValue(SnapshotRef) is null)
        {
            throw new UsageException("restore needs a SNAPSHOT (an id prefix or 'latest')");
        }

        if (parse.GetValue(Target) is null)
        {
            return parse.GetValue(Component) is not null || parse.GetValue(Job) is not null
                ? await LiveAsync(parse, cancellationToken)
                : throw new UsageException("restore needs --target DIR, or --component NAME / --job NAME to restore into the live locations of the config file");
        }

        if (parse.GetValue(Job) is not null || parse.GetValue(TargetDatabase) is not null)
        {
            throw new UsageException("--job and --target-database restore into live locations: leave out --target");
        }

        return await IntoTargetAsync(parse, cancellationToken);
    }

    private static async Task<int> IntoTargetAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await OpenIntoTargetAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "restore", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, parse.GetValue(Host), cancellationToken);
        var section = parse.GetValue(Component) is { } name ? Components.ComponentLayout.Find(snapshot, name) : null;
        var options = new RestoreOptions
        {
            Target = parse.GetValue(Target)!,
            Includes = parse.GetValue(Includes) ?? [],
            Excludes = [.. parse.GetValue(Excludes) ?? [], .. await OnlyExcludesAsync(parse, repository, snapshot, section, cancellationToken)],
            DryRun = parse.GetValue(DryRun),
            Verify = parse.GetValue(Verify),
            SubtreePath = section is null ? null : Components.ComponentLayout.DataPath(section),
            AllowPartial = true,
            Progress = new OperationProgress(),
        };
        var start = repository.Time.GetTimestamp();
        var existing = TargetPlan.TopLevel(options.Target);
        RestoreResult result;
        RestorePlan plan;
        using (var display = options.DryRun ? null : new ProgressDisplay(output, options.Progress, repository.Time, "restore", restoreNames: true))
        {
            (result, plan) = await new RestoreRunner(repository, options).RunAsync(snapshot, cancellationToken);
            display?.Stop();
        }

        var elapsed = repository.Time.GetElapsedTime(start);
        foreach (var (path, reason) in result.Failed)
        {
            output.Error($"not restored: {path}: {reason}");
        }

        IReadOnlyList<string> engineWarnings = section is null || result.DryRun ? []
            : [.. StaleFiles.MoveAside(section, Path.GetFullPath(options.Target), plan, repository.Time),
               .. Components.ComponentLayout.RestoredWarnings(section, options.Target, Duration(parse, PrometheusRetention), repository.Time)];
        foreach (var warning in result.Warnings.Concat(engineWarnings))
        {
            output.Warn(warning);
        }

        if (options.Includes.Count > 0 && result.Files + result.Directories + result.Others == 0)
        {
            output.Warn($"--include matched nothing in snapshot {id.ToShortString()}" + (section is null
                ? ": patterns match snapshot paths, e.g. '/grafana/**' (see `stackvault show SNAPSHOT`)"
                : $": with --component the patterns match paths inside the component, e.g. '/etc/prometheus/**', not '/{section.Name}/...'"));
        }

        var actions = TargetPlan.Classify(plan, existing);
        if (output.Json)
        {
            output.Line("summary", new RestoreSummaryJson(
                SecondsElapsed: (long)elapsed.TotalSeconds,
                TotalFiles: result.Files,
                FilesRestored: result.Files,
                TotalBytes: result.Bytes,
                BytesRestored: result.Bytes,
                SnapshotId: id.ToString(),
                Target: result.Target,
                DryRun: result.DryRun,
                Verified: result.Verified,
                FilesFailed: result.Failed.Count,
                Failed: result.Failed.Select(f => new RestoreFailureJson(f.Path, f.Reason)),
                DirsRestored: result.Directories,
                OthersRestored: result.Others,
                DurationSeconds: elapsed.TotalSeconds,
                Plan: result.DryRun ? actions.Select(a => new RestoreActionJson(a.Name, a.Action)) : null,
                Entries: result.DryRun ? plan.Directories.Concat(plan.Files).Concat(plan.Others).Select(e => new RestoreEntryJson(e.Path, e.Node.Type, e.Node.Size)) : null),
                CliJsonContext.Relaxed.RestoreSummaryJson);
            return (int)(result.Failed.Count > 0 ? ExitCode.Failure : ExitCode.Ok);
        }

        if (result.DryRun)
        {
            foreach (var (path, node) in plan.Directories.Concat(plan.Files).Concat(plan.Others).OrderBy(e => e.Path, StringComparer.Ordinal))
            {
                output.Result($"would restore {node.Type,-8} {node.Size,14} {path}");
            }

            foreach (var (entry, action) in actions)
            {
                output.Result($"{action,-8} {Path.Combine(options.Target, entry)}");
            }
        }

        var verb = result.DryRun ? "would restore" : "restored";
        output.Result($"{verb} snapshot {id.ToShortString()}: {result.Files} files, {result.Directories} dirs, {Units.Bytes(result.Bytes)} into {result.Target} in {Units.Duration(elapsed)}{(result.Verified ? ", verified" : string.Empty)}");
        if (result.Failed.Count > 0)
        {
            output.Error($"{result.Failed.Count} entries could not be restored (named above); everything else was restored");
            return (int)ExitCode.Failure;
        }

        return (int)ExitCode.Ok;
    }

    /// <summary>
    /// <c>--only config|data</c>: the snapshot's items of the other class, as exclude patterns (from a plan of what
    /// would be restored; each engine classifies its own items). A snapshot without components has no classes.
    /// </summary>
    private static async Task<IReadOnlyList<string>> OnlyExcludesAsync(ParseResult parse, Repository.Repository repository, Repository.Model.Snapshot snapshot, Repository.Model.ComponentSection? section, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Only) is not { } name)
        {
            return [];
        }

        if (snapshot.Components is not { Count: > 0 })
        {
            throw new UsageException("--only needs a snapshot made by backup --job or --component (this one has no components to classify)");
        }

        var dry = new RestoreOptions { Target = parse.GetValue(Target)!, DryRun = true, SubtreePath = section is null ? null : Components.ComponentLayout.DataPath(section) };
        var (_, plan) = await new RestoreRunner(repository, dry).RunAsync(snapshot, cancellationToken);
        var paths = plan.Files.Concat(plan.Directories).Concat(plan.Others).Select(e => e.Path);
        return Components.ComponentLayout.ExcludesFor(snapshot, section, Components.ItemClasses.Parse(name), paths);
    }

    /// <summary>--component X --config F: the repository of the job listing X, as the live restore takes it; else --repo / the environment.</summary>
    private static ValueTask<Repository.Repository> OpenIntoTargetAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Component) is { } name && parse.GetValue(ConfigFile) is not null)
        {
            var (config, _) = LoadConfig(parse);
            return OpenForAsync(parse, config, config.Jobs.Values.FirstOrDefault(j => j.Components.Contains(name)), cancellationToken);
        }

        return RepositoryAccess.OpenAsync(parse, cancellationToken);
    }

    private static TimeSpan? Duration(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is not { } text ? null
        : DurationOption.Parse(option.Name, text, error => throw new UsageException(error)) is var value && value > TimeSpan.Zero ? value
        : throw new UsageException($"{option.Name}: '{text}' must be more than 0 (e.g. 30s, 15d)");
}

/// <summary>
/// The <c>summary</c> record of a restore into a directory: restic's restore summary first, then what restic does not
/// have; with --dry-run the plan of the target's top-level entries and every entry that would be restored.
/// </summary>
internal sealed record RestoreSummaryJson(
    long SecondsElapsed,
    long TotalFiles,
    long FilesRestored,
    long TotalBytes,
    long BytesRestored,
    string SnapshotId,
    string Target,
    bool DryRun,
    bool Verified,
    int FilesFailed,
    IEnumerable<RestoreFailureJson> Failed,
    long DirsRestored,
    long OthersRestored,
    double DurationSeconds,
    IEnumerable<RestoreActionJson>? Plan,
    IEnumerable<RestoreEntryJson>? Entries);

/// <summary>An entry that could not be restored, and why.</summary>
internal sealed record RestoreFailureJson(string Path, string Reason);

/// <summary>What a restore would do to a top-level entry of the target.</summary>
internal sealed record RestoreActionJson(string Path, string Action);

/// <summary>An entry a dry-run restore would restore.</summary>
internal sealed record RestoreEntryJson(string Path, string Type, long Size);
