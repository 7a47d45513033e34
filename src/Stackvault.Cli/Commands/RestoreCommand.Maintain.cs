using System.CommandLine;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Restore.Live;

namespace Stackvault.Cli.Commands;

internal static partial class RestoreCommand
{
    /// <summary>
    /// <c>restore --rollback|--cleanup --component NAME|--job NAME</c>: puts the newest pre-restore copies back (with
    /// the restore stop/start hooks around) or removes every pre-restore copy. No repository is opened.
    /// </summary>
    private static async Task<int> MaintainAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        if (parse.GetValue(Rollback) && parse.GetValue(Cleanup))
        {
            throw new StackvaultException("give --rollback or --cleanup, not both", ExitCode.Usage);
        }

        if (parse.GetValue(SnapshotRef) is not null || parse.GetValue(Target) is not null)
        {
            throw new StackvaultException("--rollback and --cleanup take no SNAPSHOT and no --target, only --component NAME or --job NAME", ExitCode.Usage);
        }

        var (config, path) = LoadConfig(parse);
        IReadOnlyList<string> names = parse.GetValue(Component) is { } one ? [one]
            : parse.GetValue(Job) is { } jobName ? (config.Jobs.GetValueOrDefault(jobName) ?? throw new StackvaultException($"no job named '{jobName}' in {path}", ExitCode.Usage)).Components
            : throw new StackvaultException("--rollback and --cleanup need --component NAME or --job NAME", ExitCode.Usage);
        var lines = new List<string>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var hooks = new HookRunner(http);
        foreach (var name in names)
        {
            var component = config.Components.GetValueOrDefault(name) ?? throw new StackvaultException($"no component named '{name}' in {path}", ExitCode.Usage);
            if (component is Configuration.PostgresComponent)
            {
                output.Warn($"{name}: a PostgreSQL restore keeps the previous database as <db>_pre_restore_<time>: rename or drop it with SQL");
                continue;
            }

            var items = LiveLocations.For(component);
            if (parse.GetValue(Cleanup))
            {
                lines.AddRange(PreRestoreCopies.Remove(items.Select(i => i.LivePath).Concat(items.SelectMany(i => LiveLocations.Companions(component, i))), keepStamp: null).Select(p => "removed " + p));
                continue;
            }

            var withCopies = items.Where(i => PreRestoreCopies.Find(i.LivePath).Count > 0).ToList();
            if (withCopies.Count == 0)
            {
                throw new StackvaultException($"{name}: no *.pre-restore-* copy to roll back to", ExitCode.Usage);
            }

            var stop = await hooks.RunListAsync(component.RestoreHooks.Pre, $"{name}: restore stop hook", true, output.Warn, cancellationToken);
            if (stop.Fatal is not null)
            {
                throw new StackvaultException($"{name}: a stop hook failed, nothing rolled back: {stop.Fatal}", ExitCode.Failure);
            }

            lines.AddRange(withCopies.Select(i => PreRestoreCopies.Rollback(i.LivePath, LiveLocations.Companions(component, i), TimeProvider.System)));
            var start = await hooks.RunListAsync(component.RestoreHooks.Post, $"{name}: restore start hook", false, output.Warn, CancellationToken.None);
            if (start.Fatal is not null)
            {
                throw new StackvaultException($"{name}: rolled back, but a start hook failed: {start.Fatal}", ExitCode.Failure);
            }
        }

        if (output.Json)
        {
            output.Line("summary", new { action = parse.GetValue(Cleanup) ? "cleanup" : "rollback", done = lines });
        }
        else
        {
            lines.ForEach(output.Result);
            output.Result(parse.GetValue(Cleanup) ? $"removed {lines.Count} pre-restore copies" : "rolled back");
        }

        return (int)ExitCode.Ok;
    }
}
