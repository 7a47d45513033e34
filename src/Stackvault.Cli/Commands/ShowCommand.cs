using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault show SNAPSHOT</c>: a snapshot's metadata, status, errors and contents.</summary>
internal static class ShowCommand
{
    private static readonly Argument<string> SnapshotRef = new("snapshot") { Description = "Snapshot id (prefix) or 'latest'" };
    private static readonly Option<bool> NoList = new("--no-list") { Description = "Only the summary, not the list of entries" };

    public static Command Create()
    {
        var command = new Command("show", "Show a snapshot: metadata, status, errors and the entries it holds") { SnapshotRef, NoList };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Program.Output(parse);
        await using var repository = await RepositoryAccess.OpenAsync(parse, cancellationToken);
        await repository.LoadIndexAsync(cancellationToken);
        var (id, snapshot) = await repository.FindSnapshotAsync(parse.GetValue(SnapshotRef)!, null, cancellationToken);
        var entries = new List<(string Path, Node Node)>();
        if (!parse.GetValue(NoList))
        {
            await CollectAsync(repository, snapshot.Tree, string.Empty, entries, cancellationToken);
        }

        if (output.Json)
        {
            var json = new ShowJson(
                id.ToString(),
                snapshot,
                repository.IsEncrypted,
                entries.Select(e => new ShowEntryJson(e.Path, e.Node.Type, e.Node.Size, Convert.ToString(e.Node.Mode, 8), e.Node.MtimeNs, e.Node.Target)));
            output.Document(json, CliJsonContext.Relaxed.ShowJson);
            return (int)ExitCode.Ok;
        }

        output.Result($"snapshot {id} ({snapshot.Status.Name()})");
        output.Result($"  time      {snapshot.Time:O}");
        output.Result($"  host      {snapshot.Hostname} ({snapshot.Username})");
        output.Result($"  paths     {string.Join(' ', snapshot.Paths)}");
        output.Result($"  tags      {string.Join(',', snapshot.Tags)}");
        output.Result($"  encrypted {(repository.IsEncrypted ? "yes" : "NO")}");
        if (snapshot.Summary is { } s)
        {
            output.Result($"  size      {Units.Bytes(s.TotalBytesProcessed)} in {s.TotalFilesProcessed} files; added {Units.Bytes(s.DataAdded)}");
        }

        foreach (var c in snapshot.Components ?? [])
        {
            var checks = c.Checks is { Count: > 0 } ? " " + string.Join(' ', c.Checks.Select(k => $"{k.Key}={k.Value}")) : string.Empty;
            var engine = c.EngineVersion is null ? string.Empty : $" {c.EngineVersion}";
            output.Result($"  component {c.Name} ({c.Type}{engine}, {c.Method}): {c.Status.Name()}{(c.Error is null ? string.Empty : ": " + c.Error)}{checks}");
        }

        foreach (var error in snapshot.Errors)
        {
            output.Result($"  error     {error.Path}: {error.Message}");
        }

        foreach (var (path, node) in entries)
        {
            var suffix = node.Type == NodeType.Symlink ? " -> " + node.Target : string.Empty;
            output.Result($"{node.Type,-8} {Convert.ToString(node.Mode, 8),5} {node.Size,14} {path}{suffix}");
        }

        return (int)ExitCode.Ok;
    }

    private static async ValueTask CollectAsync(Repository.Repository repository, ObjectId tree, string path, List<(string, Node)> entries, CancellationToken cancellationToken)
    {
        foreach (var node in (await repository.LoadTreeAsync(tree, cancellationToken)).Nodes)
        {
            var childPath = path + "/" + node.Name;
            entries.Add((childPath, node));
            if (node.Type == NodeType.Directory && node.Subtree is { } sub)
            {
                await CollectAsync(repository, sub, childPath, entries, cancellationToken);
            }
        }
    }
}

/// <summary><c>show --json</c>: the snapshot's id, its manifest as stored, whether the repository is encrypted, and its entries.</summary>
internal sealed record ShowJson(string Id, Snapshot Snapshot, bool Encrypted, IEnumerable<ShowEntryJson> Entries);

/// <summary>One entry of a snapshot: its path, type, size, mode (octal), mtime and a symlink's target.</summary>
internal sealed record ShowEntryJson(string Path, string Type, long Size, string Mode, long MtimeNs, string? Target);
