using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Restore.Live;

namespace Stackvault.Cli.Commands;

internal static partial class RestoreCommand
{
    /// <summary>
    /// <c>restore --rollback|--cleanup --component NAME|--job NAME [--dry-run]</c>: puts the newest pre-restore copies
    /// back (with the restore stop/start hooks around) or removes the pre-restore and rolled-back copies. No repository
    /// is opened. A rollback looks at every component before it touches any: a single component without a copy is an
    /// error, a job's components without one are skipped with a warning. Each step is reported as it happens.
    /// </summary>
    private static async Task<int> MaintainAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        if (parse.GetValue(Rollback) && parse.GetValue(Cleanup))
        {
            throw new UsageException("give --rollback or --cleanup, not both");
        }

        if (parse.GetValue(SnapshotRef) is not null || parse.GetValue(Target) is not null)
        {
            throw new UsageException("--rollback and --cleanup take no SNAPSHOT and no --target, only --component NAME or --job NAME");
        }

        var (config, path) = LoadConfig(parse);
        IReadOnlyList<string> names = parse.GetValue(Component) is { } one ? [one]
            : parse.GetValue(Job) is { } jobName ? (config.Jobs.GetValueOrDefault(jobName) ?? throw new UsageException($"no job named '{jobName}' in {path}")).Components
            : throw new UsageException("--rollback and --cleanup need --component NAME or --job NAME");
        var components = new List<(ComponentConfig Component, IReadOnlyList<LiveItem> Items)>();
        foreach (var name in names)
        {
            var component = config.Components.GetValueOrDefault(name) ?? throw new UsageException($"no component named '{name}' in {path}");
            if (Components.DatabaseRestores.Of(component) is { } database)
            {
                output.Warn($"{name}: {database.RollbackAdvice}");
                continue;
            }

            components.Add((component, LiveLocations.For(component)));
        }

        var dryRun = parse.GetValue(DryRun);
        var lines = new List<string>();
        void Done(string line)
        {
            lines.Add(line);
            if (!output.Json)
            {
                output.Result(line);
            }
        }

        if (parse.GetValue(Cleanup))
        {
            foreach (var (component, items) in components)
            {
                var paths = items.Select(i => i.LivePath).Concat(items.SelectMany(i => LiveLocations.Companions(component, i)));
                PreRestoreCopies.Remove(paths, keepStamp: null, rolledBackToo: true, dryRun).ToList().ForEach(p => Done((dryRun ? "would remove " : "removed ") + p));
            }
        }
        else
        {
            await RollBackAsync(output, components, names.Count == 1 && parse.GetValue(Component) is not null, dryRun, Done, cancellationToken);
        }

        if (output.Json)
        {
            output.Line("summary", new MaintainSummaryJson(parse.GetValue(Cleanup) ? "cleanup" : "rollback", dryRun, lines), CliJsonContext.Relaxed.MaintainSummaryJson);
        }
        else
        {
            output.Result(parse.GetValue(Cleanup) ? $"{(dryRun ? "would remove" : "removed")} {lines.Count} pre-restore copies"
                : dryRun ? "nothing changed (--dry-run)" : "rolled back");
        }

        return (int)ExitCode.Ok;
    }

    private static async Task RollBackAsync(Output.CliOutput output, List<(ComponentConfig Component, IReadOnlyList<LiveItem> Items)> components, bool single, bool dryRun,
        Action<string> done, CancellationToken cancellationToken)
    {
        var planned = components.Select(c => (c.Component, Items: c.Items.Where(i => PreRestoreCopies.Find(i.LivePath).Count > 0).ToList())).ToList();
        foreach (var (component, _) in planned.Where(p => p.Items.Count == 0))
        {
            if (single)
            {
                throw new UsageException($"{component.Name}: no *.pre-restore-* copy to roll back to");
            }

            output.Warn($"{component.Name}: no *.pre-restore-* copy to roll back to, skipped");
        }

        if (planned.All(p => p.Items.Count == 0))
        {
            throw new UsageException("no *.pre-restore-* copy to roll back to: nothing was changed");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var hooks = new HookRunner(http);
        foreach (var (component, items) in planned.Where(p => p.Items.Count > 0))
        {
            var name = component.Name;
            if (dryRun)
            {
                items.ForEach(i => done($"would roll back {i.LivePath} to the copy of {PreRestoreCopies.Find(i.LivePath)[0].Stamp}"));
                continue;
            }

            var stop = await hooks.RunListAsync(component.RestoreHooks.Pre, $"{name}: restore stop hook", true, output.Warn, cancellationToken);
            if (stop.Fatal is not null)
            {
                throw new StackvaultException($"{name}: a stop hook failed, {name} was not rolled back: {stop.Fatal}");
            }

            items.ForEach(i => done(PreRestoreCopies.Rollback(i.LivePath, LiveLocations.Companions(component, i), TimeProvider.System)));
            var start = await hooks.RunListAsync(component.RestoreHooks.Post, $"{name}: restore start hook", false, output.Warn, CancellationToken.None);
            if (start.Fatal is not null)
            {
                throw new StackvaultException($"{name}: rolled back, but a start hook failed: {start.Fatal}");
            }
        }
    }
}

/// <summary>The <c>summary</c> record of <c>restore --rollback</c> and <c>--cleanup</c>: each step done (or, with --dry-run, to do).</summary>
internal sealed record MaintainSummaryJson(string Action, bool DryRun, IReadOnlyList<string> Done);
