using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Locking;
using Stackvault.Repository.Model;
using Stackvault.Restore.Live;

namespace Stackvault.Cli.Commands;

internal static partial class RestoreCommand
{
    /// <summary>
    /// <c>restore SNAPSHOT --component NAME | --job NAME</c> without --target: into the live locations of the config
    /// file. The plan comes first; replacing existing data needs --yes (a new database or an empty location does not).
    /// </summary>
    private static async Task<int> LiveAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        var (config, path) = LoadConfig(parse);
        var job = parse.GetValue(Job) is { } jobName ? config.Jobs.GetValueOrDefault(jobName)
            ?? throw new UsageException($"no job named '{jobName}' in {path}; jobs: {string.Join(", ", config.Jobs.Keys)}") : null;
        var componentName = parse.GetValue(Component);
        if (componentName is not null && !config.Components.ContainsKey(componentName))
        {
            throw new UsageException($"no component named '{componentName}' in {path}; components: {string.Join(", ", config.Components.Keys)}");
        }

        var names = componentName is not null ? [componentName] : job!.Components;
        job ??= config.Jobs.Values.FirstOrDefault(j => j.Components.Contains(componentName!));
        if (parse.GetValue(TargetDatabase) is not null && (names.Count != 1 || Components.DatabaseRestores.Of(config.Components[names[0]]) is null))
        {
            throw new UsageException($"--target-database goes with --component NAME of a {Components.DatabaseRestores.Types} component");
        }

        await using var repository = await OpenForAsync(parse, config, job, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "restore", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, parse.GetValue(Host), cancellationToken);
        var components = Select(snapshot, config, names, componentName is not null, output);
        var options = new LiveRestoreOptions
        {
            DryRun = true,
            Strict = parse.GetValue(Strict),
            ReadyTimeout = Duration(parse, ReadyTimeout!) ?? TimeSpan.FromSeconds(60),
            PrometheusRetention = Duration(parse, PrometheusRetention),
            TargetDatabase = parse.GetValue(TargetDatabase),
            Force = parse.GetValue(Force) || parse.GetValue(Yes),
            PostgresJobs = parse.GetValue(PgJobs) is >= 1 and var jobs ? jobs : throw new UsageException("--pg-jobs must be at least 1"),
            ConfigPath = path,
            Only = parse.GetValue(Only) is { } only ? Components.ItemClasses.Parse(only) : null,
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var probe = new EngineProbe(http, repository.Time);
        var hooks = new HookRunner(http);
        var quiet = new LiveRestoreRunner(repository, options, hooks, probe, _ => { }, _ => { });
        var planned = await quiet.RunAsync(snapshot, components, cancellationToken);
        WritePlan(output, id, planned, dryRun: parse.GetValue(DryRun));
        if (parse.GetValue(DryRun))
        {
            return (int)ExitCode.Ok;
        }

        var databases = components.Select(c => Components.DatabaseRestores.Of(c.Config)).ToList();
        var allDatabases = databases.All(d => d is not null);
        if (planned.Plan.Any(e => e.Action == LivePlanEntry.Replace) && !parse.GetValue(Yes) && !(parse.GetValue(Force) && allDatabases))
        {
            throw new UsageException(allDatabases
                ? $"this restore replaces an existing database (see the plan above): run it again with --force or --yes (the existing database is kept as {databases[0]!.KeptName("<db>", "<time>")})"
                : "this restore replaces live data (see the plan above): run it again with --yes (the previous data is kept as *.pre-restore-TIME)");
        }

        var runner = new LiveRestoreRunner(repository, new LiveRestoreOptions
        {
            Strict = options.Strict, ReadyTimeout = options.ReadyTimeout, PrometheusRetention = options.PrometheusRetention,
            TargetDatabase = options.TargetDatabase, Force = options.Force, PostgresJobs = options.PostgresJobs, ConfigPath = path, Only = options.Only,
        }, hooks, probe, w => { if (!planned.Warnings.Contains(w)) { output.Warn(w); } }, output.Info);
        var result = await runner.RunAsync(snapshot, components, cancellationToken);
        if (output.Json)
        {
            output.Line(
                "summary",
                new LiveRestoreSummaryJson(id.ToString(), false, result.Swapped.Select(s => new LiveRestoredJson(s.Component, s.LivePath, s.KeptAs))),
                CliJsonContext.Relaxed.LiveRestoreSummaryJson);
            return (int)ExitCode.Ok;
        }

        foreach (var swap in result.Swapped)
        {
            output.Result($"restored {swap.Component}: {(swap.IsDatabase ? "database " : string.Empty)}{swap.LivePath}" + (swap.KeptAs is { } kept ? $" (the previous one kept as {kept})" : string.Empty));
        }

        output.Result($"restored snapshot {id.ToShortString()} into the live locations of {components.Count} component(s), every chunk verified");
        return (int)ExitCode.Ok;
    }

    private static void WritePlan(CliOutput output, Repository.ObjectId id, LiveRestoreResult planned, bool dryRun)
    {
        if (output.Json)
        {
            if (!dryRun)
            {
                return;
            }

            output.Line(
                "summary",
                new LivePlanSummaryJson(id.ToString(), true, planned.Plan.Select(e => new LivePlanJson(
                    Component: e.Component,
                    Item: e.Item,
                    Live: e.LivePath,
                    Action: e.Action,
                    Files: e.SnapshotFiles,
                    Bytes: e.SnapshotBytes,
                    LiveFiles: e.LiveFiles,
                    Note: e.Note))),
                CliJsonContext.Relaxed.LivePlanSummaryJson);
            return;
        }

        foreach (var warning in planned.Warnings)
        {
            output.Warn(warning);
        }

        output.Result($"plan for snapshot {id.ToShortString()}:");
        foreach (var e in planned.Plan)
        {
            output.Result($"  {e.Action,-8} {e.Component}/{e.Item} -> {e.LivePath}: {e.SnapshotFiles} files, {Units.Bytes(e.SnapshotBytes)}" + (e.Note is null ? string.Empty : $" ({e.Note})"));
        }
    }

    private static List<LiveComponent> Select(Snapshot snapshot, StackvaultConfig config, IReadOnlyList<string> names, bool explicitComponent, CliOutput output)
    {
        var result = new List<LiveComponent>();
        foreach (var name in names)
        {
            var section = snapshot.Components?.FirstOrDefault(c => c.Name == name);
            if (section is null || section.Status == ComponentStatus.Failed)
            {
                if (explicitComponent)
                {
                    Components.ComponentLayout.Find(snapshot, name); // throws the precise error
                }

                output.Warn($"{name}: {(section is null ? "not in this snapshot" : "failed in this snapshot")}, skipped");
                continue;
            }

            if (section.Type != config.Components[name].Type)
            {
                throw new UsageException($"component {name} is a {section.Type} in the snapshot but a {config.Components[name].Type} in the config");
            }

            result.Add(new LiveComponent(config.Components[name], section));
        }

        return result.Count > 0 ? result : throw new UsageException("none of the selected components is in this snapshot");
    }

    private static (StackvaultConfig Config, string Path) LoadConfig(ParseResult parse)
    {
        return ConfigAccess.Load(parse.GetValue(ConfigFile));
    }

    /// <summary>--repo wins; else the job's repository (for --component: the first job listing it); else STACKVAULT_REPOSITORY.</summary>
    private static ValueTask<Repository.Repository> OpenForAsync(ParseResult parse, StackvaultConfig config, JobConfig? job, CancellationToken cancellationToken)
    {
        if (parse.GetValue(GlobalOptions.Repo) is null && Environment.GetEnvironmentVariable("STACKVAULT_REPOSITORY") is null && job is not null)
        {
            var entry = config.Repositories[job.Repository];
            return RepositoryAccess.OpenAsync(entry.Url, () => entry.Password?.Reveal() ?? PasswordSource.Resolve(parse.GetValue(GlobalOptions.PasswordFile)), cancellationToken);
        }

        return RepositoryAccess.OpenAsync(parse, cancellationToken);
    }
}

/// <summary>The <c>summary</c> record of a live restore: the live locations restored, and where their previous data was kept.</summary>
internal sealed record LiveRestoreSummaryJson(string SnapshotId, bool DryRun, IEnumerable<LiveRestoredJson> Restored);

/// <summary>A live location a restore swapped in.</summary>
internal sealed record LiveRestoredJson(string Component, string Live, string? KeptAs);

/// <summary>The <c>summary</c> record of a live restore with --dry-run: its plan.</summary>
internal sealed record LivePlanSummaryJson(string SnapshotId, bool DryRun, IEnumerable<LivePlanJson> Plan);

/// <summary>What a live restore would do to one item of a component.</summary>
internal sealed record LivePlanJson(string Component, string Item, string Live, string Action, long Files, long Bytes, long LiveFiles, string? Note);
