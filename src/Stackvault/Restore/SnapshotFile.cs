using Stackvault.Errors;
using Stackvault.Export;
using Stackvault.Filtering;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

/// <summary>
/// One regular file of a snapshot, found by its path (as <c>stackvault show</c> lists it, e.g.
/// <c>/pg-dumps/dop-202612020300.dump.gz</c>) and read straight out of the repository, blob by blob, without staging
/// it on disk. The path's last component may be a pattern (<c>*</c>, <c>?</c>, <c>[...]</c>, e.g.
/// <c>dop-*.dump.gz</c>): the matching file last in name order is taken, for timestamped names the newest.
/// A path that is not in the snapshot, a directory, or anything but a regular file is a usage error (exit 2).
/// </summary>
public sealed class SnapshotFile
{
    private readonly Repository.Repository _repository;

    private SnapshotFile(Repository.Repository repository, string path, Node node)
    {
        _repository = repository;
        Path = path;
        Node = node;
    }

    /// <summary>The file's path in the snapshot (with a pattern: the path of the file it selected).</summary>
    public string Path { get; }

    public Node Node { get; }

    /// <summary>The file's content, read forward blob by blob (one blob in memory at a time, each checked as it is decoded).</summary>
    public Stream Open() =>
        BlobContentStream.Of(_repository, Node);

    public static async ValueTask<SnapshotFile> FindAsync(Repository.Repository repository, ObjectId snapshotId, Snapshot snapshot, string path, CancellationToken cancellationToken)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var where = $"snapshot {snapshotId.ToShortString()}";
        if (parts.Length == 0 || parts.Any(part => part is "." or ".."))
        {
            throw new UsageException($"'{path}' is not a file path in a snapshot: give it as `stackvault show` lists it, e.g. /backup/dop-202601011200.dump.gz");
        }

        if (parts[..^1].FirstOrDefault(IsPattern) is { } wildDirectory)
        {
            throw new UsageException($"'{path}': only the file name may be a pattern, not the directory '{wildDirectory}'");
        }

        var tree = await repository.LoadTreeAsync(snapshot.Tree, cancellationToken).ConfigureAwait(false);
        var directory = string.Empty;
        foreach (var part in parts[..^1])
        {
            var node = tree.Nodes.FirstOrDefault(n => n.Name == part);
            directory += "/" + part;
            if (node is null || node.Type != NodeType.Directory || node.Subtree is not { } subtree)
            {
                throw new UsageException($"{where} has no directory {directory}" + (node is null ? Listing(tree) : $" (it is a {node.Type})"));
            }

            tree = await repository.LoadTreeAsync(subtree, cancellationToken).ConfigureAwait(false);
        }

        var name = parts[^1];
        if (IsPattern(name))
        {
            var pattern = new PathPattern(name);
            var match = tree.Nodes.Where(n => n.Type == NodeType.File && pattern.Matches(n.Name)).MaxBy(n => n.Name, StringComparer.Ordinal)
                ?? throw new UsageException($"no file in {directory}/ of {where} matches {name}" + Listing(tree));
            return new SnapshotFile(repository, directory + "/" + match.Name, match);
        }

        var file = tree.Nodes.FirstOrDefault(n => n.Name == name)
            ?? throw new UsageException($"{where} has no {directory}/{name}" + Listing(tree));
        return file.Type == NodeType.File
            ? new SnapshotFile(repository, directory + "/" + name, file)
            : throw new UsageException($"{directory}/{name} in {where} is a {(file.Type == NodeType.Directory ? "directory" : file.Type)}, not a file");
    }

    private static bool IsPattern(string part) => part.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>A few of the names that are there, so that a mistyped path shows the right one.</summary>
    private static string Listing(Tree tree)
    {
        const int Shown = 8;
        var names = tree.Nodes.Select(n => n.Type == NodeType.Directory ? n.Name + "/" : n.Name).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? " (its directory is empty)"
            : $" (its directory holds: {string.Join(", ", names.Take(Shown))}{(names.Count > Shown ? $", ... {names.Count - Shown} more" : string.Empty)})";
    }
}
