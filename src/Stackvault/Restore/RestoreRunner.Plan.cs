using System.Text;
using Stackvault.Errors;
using Stackvault.Filtering;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

public sealed partial class RestoreRunner
{
    /// <summary>Trees already read, by id: a tree referenced from several directories is read and parsed once.</summary>
    private readonly Dictionary<ObjectId, Tree> _trees = [];
    private long _visited;
    private long _distinct;

    private async ValueTask PlanAsync(ObjectId treeId, string path, string where, int depth, PathFilter filter, RestorePlan plan, CancellationToken cancellationToken)
    {
        var tree = await LoadTreeAsync(treeId, cancellationToken).ConfigureAwait(false);
        _visited += tree.Nodes.Count;
        if (_visited > Math.Max(RestoreLimits.MaxExpandedEntries, RestoreLimits.MaxExpansionRatio * _distinct))
        {
            throw new StackvaultException($"refusing to restore: the snapshot's {_trees.Count} trees ({_distinct} entries) expand to more than {_visited} paths " +
                $"(the limit is {RestoreLimits.MaxExpandedEntries} or {RestoreLimits.MaxExpansionRatio}x the distinct entries): a crafted or corrupt tree");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in tree.Nodes)
        {
            SafeNames.Check(node.Name, where);
            SafeNames.CheckUnique(seen, node.Name, where);
            var childPath = path + "/" + node.Name;
            if (Encoding.UTF8.GetByteCount(childPath) > RestoreLimits.MaxPathBytes)
            {
                throw new StackvaultException($"refusing to restore: a path in {Shorten(where)} is longer than {RestoreLimits.MaxPathBytes} bytes (depth {depth + 1})");
            }

            if (filter.IsExcluded(childPath))
            {
                continue;
            }

            if (node.Type == NodeType.Symlink && node.Target is { } linkTarget && linkTarget.Contains('\0'))
            {
                throw new StackvaultException($"refusing to restore: the symlink {Shorten(childPath)} has a NUL byte in its target (a crafted or corrupt snapshot)");
            }

            if (node.Type == NodeType.Directory)
            {
                if (!filter.MayIncludeBelow(childPath) && !filter.IsIncluded(childPath))
                {
                    continue;
                }

                if (depth + 1 > RestoreLimits.MaxDepth)
                {
                    throw new StackvaultException($"refusing to restore: {Shorten(childPath)} is nested deeper than {RestoreLimits.MaxDepth} directories");
                }

                if (node.Subtree is not { } subtree)
                {
                    throw new StackvaultException($"directory {childPath} has no valid subtree id");
                }

                if (!await ReadableAsync(subtree, childPath, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var (dirs, files, others) = (plan.Directories.Count, plan.Files.Count, plan.Others.Count);
                plan.Directories.Add((childPath, node));
                await PlanAsync(subtree, childPath, childPath, depth + 1, filter, plan, cancellationToken).ConfigureAwait(false);
                if (!filter.IsIncluded(childPath) && plan.Directories.Count == dirs + 1 && plan.Files.Count == files && plan.Others.Count == others)
                {
                    plan.Directories.RemoveAt(dirs);
                }
            }
            else if (filter.IsIncluded(childPath))
            {
                (node.Type == NodeType.File ? plan.Files : plan.Others).Add((childPath, node));
            }
        }
    }

    /// <summary>
    /// Loads a subtree ahead of planning it; a subtree whose blob is lost or corrupt is named as not restored (with
    /// everything below it) and the rest of the snapshot goes on. A tree of a newer format version still stops the restore.
    /// </summary>
    private async ValueTask<bool> ReadableAsync(ObjectId id, string path, CancellationToken cancellationToken)
    {
        try
        {
            await LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StackvaultException e) when (e is not UnsupportedVersionException)
        {
            _failed.Add((path + "/", "directory tree unreadable: " + e.Message));
            options.Progress?.AddError();
            return false;
        }
    }

    private async ValueTask<Tree> LoadTreeAsync(ObjectId id, CancellationToken cancellationToken)
    {
        if (_trees.TryGetValue(id, out var tree))
        {
            return tree;
        }

        tree = await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
        _trees[id] = tree;
        _distinct += tree.Nodes.Count;
        return tree;
    }

    private static string Shorten(string path) => path.Length <= 120 ? path : path[..60] + "..." + path[^50..];

    /// <summary>The tree at a snapshot path such as <c>/prom/data</c> (a component's data), or the root.</summary>
    private async ValueTask<ObjectId> FindSubtreeAsync(ObjectId root, string? path, CancellationToken cancellationToken)
    {
        var current = root;
        foreach (var part in (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var tree = await LoadTreeAsync(current, cancellationToken).ConfigureAwait(false);
            var node = tree.Nodes.FirstOrDefault(n => n.Name == part && n.Type == NodeType.Directory);
            if (node?.Subtree is not { } subtree)
            {
                throw new StackvaultException($"the snapshot has no directory {path}");
            }

            current = subtree;
        }

        return current;
    }
}
