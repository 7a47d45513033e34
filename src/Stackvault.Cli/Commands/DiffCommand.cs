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
            output.Document(new DiffJson(
                First: DiffSnapshotJson.Of(firstId, first),
                Second: DiffSnapshotJson.Of(secondId, second),
                Changes: result.Entries.Select(e => new DiffChangeJson(
                    Change: DiffKinds.Symbol(e.Kind),
                    Kind: DiffKinds.Name(e.Kind),
                    Path: e.Path,
                    Type: e.New?.Type ?? e.Old?.Type,
                    OldType: e.Kind == DiffKind.TypeChanged ? e.Old?.Type : null,
                    Size: e.New?.Size,
                    OldSize: e.Old?.Size)),
                Totals: DiffTotalsJson.Of(result.Totals),

                // Grouped totals; a "by_component" list joins "by_path" once snapshots record components.
                Breakdown: new DiffBreakdownJson(result.Groups.Select(g => new DiffGroupJson(g.Key, DiffTotalsJson.Of(g.Value)))),
                TreesLoaded: result.TreesLoaded), CliJsonContext.Relaxed.DiffJson);
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

    private static string Line(DiffTotals t) =>
        $"{t.Added} added, {t.Removed} removed, {t.Modified} modified, {t.Metadata} metadata only, {t.TypeChanged} type changed; " +
        $"bytes: {Units.Bytes(t.AddedBytes)} added, {Units.Bytes(t.RemovedBytes)} removed, {Units.Bytes(t.ChangedBytes)} in modified files";
}

/// <summary><c>diff --json</c>: the two snapshots, every change, the totals, and the totals per top-level path.</summary>
internal sealed record DiffJson(
    DiffSnapshotJson First,
    DiffSnapshotJson Second,
    IEnumerable<DiffChangeJson> Changes,
    DiffTotalsJson Totals,
    DiffBreakdownJson Breakdown,
    long TreesLoaded);

/// <summary>One of the two snapshots compared.</summary>
internal sealed record DiffSnapshotJson(string Id, string ShortId, DateTimeOffset Time, List<string> Paths)
{
    public static DiffSnapshotJson Of(Repository.ObjectId id, Snapshot snapshot) => new(id.ToString(), id.ToShortString(), snapshot.Time, snapshot.Paths);
}

/// <summary>One change: its symbol and kind, the path, the entry's type (and the old one when it changed) and sizes.</summary>
internal sealed record DiffChangeJson(string Change, string Kind, string Path, string? Type, string? OldType, long? Size, long? OldSize);

/// <summary>Counts of changes by kind, and their bytes.</summary>
internal sealed record DiffTotalsJson(
    long Added,
    long Removed,
    long Modified,
    long Metadata,
    long TypeChanged,
    long Changes,
    long AddedBytes,
    long RemovedBytes,
    long ChangedBytes)
{
    public static DiffTotalsJson Of(DiffTotals t) => new(
        Added: t.Added,
        Removed: t.Removed,
        Modified: t.Modified,
        Metadata: t.Metadata,
        TypeChanged: t.TypeChanged,
        Changes: t.Count,
        AddedBytes: t.AddedBytes,
        RemovedBytes: t.RemovedBytes,
        ChangedBytes: t.ChangedBytes);
}

/// <summary>Grouped totals: per top-level path.</summary>
internal sealed record DiffBreakdownJson(IEnumerable<DiffGroupJson> ByPath);

/// <summary>The totals of the changes under one top-level path.</summary>
internal sealed record DiffGroupJson(string Path, DiffTotalsJson Totals);
