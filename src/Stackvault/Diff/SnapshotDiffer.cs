using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Restore;

namespace Stackvault.Diff;

/// <summary>
/// Compares two snapshots by walking both trees together. Directories whose subtree ids are equal are identical
/// (trees are content-addressed, a Merkle tree) and are skipped without loading them; only their own metadata is compared.
/// Added and removed directories are walked so that every path below them is listed and counted.
/// </summary>
public sealed class SnapshotDiffer
{
    private readonly Func<ObjectId, CancellationToken, ValueTask<Tree>> _loadTree;
    private List<string> _roots = [];

    public SnapshotDiffer(Repository.Repository repository)
        : this(repository.LoadTreeAsync)
    {
    }

    /// <summary>With a custom tree loader (tests count the loads).</summary>
    public SnapshotDiffer(Func<ObjectId, CancellationToken, ValueTask<Tree>> loadTree) => _loadTree = loadTree;

    public async ValueTask<DiffResult> DiffAsync(Snapshot first, Snapshot second, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        _roots = [.. first.Paths.Concat(second.Paths).Select(p => p.TrimEnd('/')).Where(p => p.Length > 0).Distinct().OrderByDescending(p => p.Length)];
        var result = new DiffResult();
        await WalkAsync(first.Tree, second.Tree, string.Empty, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask WalkAsync(ObjectId? oldTree, ObjectId? newTree, string path, DiffResult result, CancellationToken cancellationToken)
    {
        if (oldTree == newTree)
        {
            return;
        }

        var where = path.Length == 0 ? "snapshot root" : path;
        var oldNodes = await LoadAsync(oldTree, where, result, cancellationToken).ConfigureAwait(false);
        var newNodes = await LoadAsync(newTree, where, result, cancellationToken).ConfigureAwait(false);
        foreach (var name in oldNodes.Keys.Union(newNodes.Keys).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            oldNodes.TryGetValue(name, out var o);
            newNodes.TryGetValue(name, out var n);
            var child = path + "/" + name;
            if (o is null || n is null || o.Type != n.Type)
            {
                Report(result, o is null ? DiffKind.Added : n is null ? DiffKind.Removed : DiffKind.TypeChanged, child, o, n);
                var oldSub = o is { Type: NodeType.Directory } ? SubtreeOf(o, child) : (ObjectId?)null;
                var newSub = n is { Type: NodeType.Directory } ? SubtreeOf(n, child) : (ObjectId?)null;
                if (oldSub is not null || newSub is not null)
                {
                    await WalkAsync(oldSub, newSub, child, result, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (o.Type == NodeType.Directory)
            {
                if (MetadataDiffers(o, n))
                {
                    Report(result, DiffKind.Metadata, child, o, n);
                }

                await WalkAsync(SubtreeOf(o, child), SubtreeOf(n, child), child, result, cancellationToken).ConfigureAwait(false);
            }
            else if (ContentDiffers(o, n))
            {
                Report(result, DiffKind.Modified, child, o, n);
            }
            else if (MetadataDiffers(o, n))
            {
                Report(result, DiffKind.Metadata, child, o, n);
            }
        }
    }

    private async ValueTask<Dictionary<string, Node>> LoadAsync(ObjectId? id, string where, DiffResult result, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        if (id is { } treeId)
        {
            var tree = await _loadTree(treeId, cancellationToken).ConfigureAwait(false);
            result.TreesLoaded++;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in tree.Nodes)
            {
                SafeNames.CheckUnique(seen, node.Name, where, "diff");
                nodes.Add(node.Name, node);
            }
        }

        return nodes;
    }

    private void Report(DiffResult result, DiffKind kind, string path, Node? old, Node? @new)
    {
        var entry = new DiffEntry(kind, path, old, @new);
        result.Entries.Add(entry);
        result.Totals.Add(entry);
        var group = GroupOf(path);
        if (!result.Groups.TryGetValue(group, out var totals))
        {
            totals = new DiffTotals();
            result.Groups.Add(group, totals);
        }

        totals.Add(entry);
    }

    private string GroupOf(string path)
    {
        foreach (var root in _roots)
        {
            if (path == root)
            {
                return root;
            }

            if (path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                var rest = path[(root.Length + 1)..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                return root + "/" + (slash < 0 ? rest : rest[..slash]);
            }
        }

        return DiffResult.OutsideGroup;
    }

    private static ObjectId SubtreeOf(Node node, string path) =>
        node.Subtree ?? throw new StackvaultException($"directory {path} has no valid subtree id");

    private static bool MetadataDiffers(Node a, Node b) => a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || a.MtimeNs != b.MtimeNs;

    private static bool ContentDiffers(Node a, Node b) => a.Type switch
    {
        NodeType.File => a.Size != b.Size || !(a.Content ?? []).SequenceEqual(b.Content ?? []),
        NodeType.Symlink => !string.Equals(a.Target, b.Target, StringComparison.Ordinal),
        NodeType.CharDevice or NodeType.BlockDevice => a.Rdev != b.Rdev,
        _ => false,
    };
}
