using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Restore;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault restore SNAPSHOT --target DIR</c>: staged restore, then swap into place.</summary>
internal static class RestoreCommand
{
    private static readonly Argument<string> SnapshotRef = new("snapshot") { Description = "Snapshot id (prefix) or 'latest'" };
    private static readonly Option<string> Target = new("--target", "-t") { Description = "Directory to restore into (created; existing entries replaced are kept as *.pre-restore-TIME)", Required = true };
    private static readonly Option<string[]> Includes = new("--include", "-i") { Description = "Restore only paths matching the pattern (repeatable)" };
    private static readonly Option<string[]> Excludes = new("--exclude", "-e") { Description = "Leave out paths matching the pattern (repeatable)" };
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print what would be restored; write nothing" };
    private static readonly Option<bool> Verify = new("--verify") { Description = "Read every restored file back and check it before swapping it into place" };
    private static readonly Option<string?> Host = new("--host") { Description = "With 'latest': the latest snapshot of this host" };
    private static readonly Option<string?> Component = new("--component") { Description = "Restore only this component's data straight into the target (a Prometheus data dir, a directory for the Grafana database, ...)" };

    public static Command Create()
    {
        var command = new Command("restore", "Restore a snapshot into a directory") { SnapshotRef, Target, Includes, Excludes, DryRun, Verify, Host, Component };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await using var repositoryLock = await RepositoryAccess.LockAsync(parse, repository, LockKind.Shared, "restore", cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, parse.GetValue(Host), cancellationToken);
        var options = new RestoreOptions
        {
            Target = parse.GetValue(Target)!,
            Includes = parse.GetValue(Includes) ?? [],
            Excludes = parse.GetValue(Excludes) ?? [],
            DryRun = parse.GetValue(DryRun),
            Verify = parse.GetValue(Verify),
            SubtreePath = parse.GetValue(Component) is { } name ? Components.ComponentLayout.DataPath(Components.ComponentLayout.Find(snapshot, name)) : null,
        };
        var start = repository.Time.GetTimestamp();
        var (result, plan) = await new RestoreRunner(repository, options).RunAsync(snapshot, cancellationToken);
        var elapsed = repository.Time.GetElapsedTime(start);
        foreach (var warning in result.Warnings)
        {
            output.Warn(warning);
        }

        if (output.Json)
        {
            output.Line("summary", new
            {
                snapshot_id = id.ToString(),
                target = result.Target,
                dry_run = result.DryRun,
                verified = result.Verified,
                files_restored = result.Files,
                dirs_restored = result.Directories,
                others_restored = result.Others,
                bytes_restored = result.Bytes,
                duration_seconds = elapsed.TotalSeconds,
                entries = result.DryRun ? plan.Directories.Concat(plan.Files).Concat(plan.Others).Select(e => new { path = e.Path, type = e.Node.Type, size = e.Node.Size }) : null,
            });
            return (int)ExitCode.Ok;
        }

        if (result.DryRun)
        {
            foreach (var (path, node) in plan.Directories.Concat(plan.Files).Concat(plan.Others).OrderBy(e => e.Path, StringComparer.Ordinal))
            {
                output.Result($"would restore {node.Type,-8} {node.Size,14} {path}");
            }
        }

        var verb = result.DryRun ? "would restore" : "restored";
        output.Result($"{verb} snapshot {id.ToShortString()}: {result.Files} files, {result.Directories} dirs, {Units.Bytes(result.Bytes)} into {result.Target} in {Units.Duration(elapsed)}{(result.Verified ? ", verified" : string.Empty)}");
        return (int)ExitCode.Ok;
    }
}
