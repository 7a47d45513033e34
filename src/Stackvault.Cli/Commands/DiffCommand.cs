using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Diff;
using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault diff SNAP1 SNAP2</c>: what changed between two snapshots, with counts and byte totals.</summary>
internal static class DiffCommand
{
    private static readonly Argument<string> First = new("snapshot1") { Description = "The older snapshot: id (prefix) or 'latest'" };
    private static readonly Argument<string> Second = new("snapshot2") { Description = "The newer snapshot: id (prefix) or 'latest'" };

    public static Command Create()
    {
        var command = new Command("diff", "Show what changed between two snapshots: + added, - removed, M modified content, U metadata only (mode, owner, mtime), T type changed") { First, Second };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (firstId, first) = await repository.FindSnapshotAsync(parse.GetValue(First)!, null, cancellationToken);
        var (secondId, second) = await repository.FindSnapshotAsync(parse.GetValue(Second)!, null, cancellationToken);
        var result = await new SnapshotDiffer(repository).DiffAsync(first, second, cancellationToken);
        if (output.Json)
        {
            output.Document(new
            {
                first = Describe(firstId, first),
                second = Describe(secondId, second),
                changes = result.Entries.Select(e => new
                {
                    change = DiffKinds.Symbol(e.Kind),
                    kind = DiffKinds.Name(e.Kind),
                    path = e.Path,
                    type = e.New?.Type ?? e.Old?.Type,
                    old_type = e.Kind == DiffKind.TypeChanged ? e.Old?.Type : null,
                    size = e.New?.Size,
                    old_size = e.Old?.Size,
                }),
                totals = Totals(result.Totals),

                // Grouped totals; a "by_component" list joins "by_path" once snapshots record components.
                breakdown = new { by_path = result.Groups.Select(g => new { path = g.Key, totals = Totals(g.Value) }) },
                trees_loaded = result.TreesLoaded,
            });
            return (int)ExitCode.Ok;
        }

        foreach (var entry in result.Entries)
        {
            var suffix = entry.Kind == DiffKind.TypeChanged ? $" ({entry.Old!.Type} -> {entry.New!.Type})" : string.Empty;
            output.Result($"{DiffKinds.Symbol(entry.Kind),-4} {entry.Path}{suffix}");
        }

        output.Result(string.Empty);
        output.Result($"{Line(result.Totals)}");
        foreach (var (group, totals) in result.Groups)
        {
            output.Result($"  {group}: {Line(totals)}");
        }

        return (int)ExitCode.Ok;
    }

    private static object Describe(Repository.ObjectId id, Snapshot snapshot) =>
        new { id = id.ToString(), short_id = id.ToShortString(), time = snapshot.Time, paths = snapshot.Paths };

    private static object Totals(DiffTotals t) => new
    {
        added = t.Added,
        removed = t.Removed,
        modified = t.Modified,
        metadata = t.Metadata,
        type_changed = t.TypeChanged,
        changes = t.Count,
        added_bytes = t.AddedBytes,
        removed_bytes = t.RemovedBytes,
        changed_bytes = t.ChangedBytes,
    };

    private static string Line(DiffTotals t) =>
        $"{t.Added} added, {t.Removed} removed, {t.Modified} modified, {t.Metadata} metadata only, {t.TypeChanged} type changed; " +
        $"bytes: {Units.Bytes(t.AddedBytes)} added, {Units.Bytes(t.RemovedBytes)} removed, {Units.Bytes(t.ChangedBytes)} in modified files";
}
