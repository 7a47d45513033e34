using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Export;

/// <summary>
/// Bounded cost on crafted trees (docs/design.md 15.4, issue 14 item 11), measured before an export writes anything.
/// Tree ids are content hashes, so trees form a DAG, but a DAG can be a bomb: 31 tree blobs whose two entries both
/// name the next one expand to 2^31 paths, and a chain of 20,000 directories is a path no file system takes. Each
/// distinct tree is read once and its expansion (entries below it) and height memoized; the snapshot is refused when
/// it nests deeper than <see cref="MaxDepth"/> or expands to more than <see cref="MaxExpandedEntries"/> paths and more
/// than <see cref="MaxExpansionRatio"/> times the entries of its distinct trees. The numbers are restore's
/// (Restore/RestoreLimits) and tools/recover.py's, so the three agree on what a crafted snapshot is.
/// </summary>
internal sealed class TreeExpansion(Repository.Repository repository)
{
    public const int MaxDepth = Restore.RestoreLimits.MaxDepth;

    public const long MaxExpandedEntries = Restore.RestoreLimits.MaxExpandedEntries;

    public const long MaxExpansionRatio = Restore.RestoreLimits.MaxExpansionRatio;

    private readonly Dictionary<ObjectId, (long Expanded, int Height)> _memo = [];
    private long _distinctEntries;

    /// <summary>Throws a one-line <see cref="StackvaultException"/> when the trees below <paramref name="root"/> are too deep or expand too far.</summary>
    public async ValueTask CheckAsync(ObjectId root, CancellationToken cancellationToken)
    {
        var (expanded, _) = await MeasureAsync(root, 0, cancellationToken).ConfigureAwait(false);
        var limit = Math.Max(MaxExpandedEntries, MaxExpansionRatio * _distinctEntries);
        if (expanded > limit)
        {
            throw new StackvaultException($"refusing to export: the snapshot's {_memo.Count} distinct trees ({_distinctEntries} entries) expand to {(expanded == long.MaxValue ? "over 2^62" : expanded.ToString(System.Globalization.CultureInfo.InvariantCulture))} paths (the limit is {MaxExpandedEntries} or {MaxExpansionRatio}x the distinct entries): a crafted or corrupt tree");
        }
    }

    private async ValueTask<(long Expanded, int Height)> MeasureAsync(ObjectId id, int depth, CancellationToken cancellationToken)
    {
        if (!_memo.TryGetValue(id, out var measured))
        {
            CheckDepth(depth, id);
            _memo[id] = (long.MaxValue, MaxDepth + 1); // a cycle (impossible with hashed ids) measures as too big
            Tree tree;
            try
            {
                tree = await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (StackvaultException)
            {
                tree = new Tree(); // unreadable: the walk reports it if it goes there (an --include may not)
            }

            _distinctEntries += tree.Nodes.Count;
            long expanded = tree.Nodes.Count;
            var height = 0;
            foreach (var node in tree.Nodes)
            {
                if (node.Type == NodeType.Directory && node.Subtree is { } subtree)
                {
                    var (below, belowHeight) = await MeasureAsync(subtree, depth + 1, cancellationToken).ConfigureAwait(false);
                    expanded = below > long.MaxValue - expanded ? long.MaxValue : expanded + below;
                    height = Math.Max(height, belowHeight + 1);
                }
            }

            measured = (expanded, height);
            _memo[id] = measured;
        }

        CheckDepth(depth + measured.Height, id);
        return measured;
    }

    private static void CheckDepth(int depth, ObjectId id)
    {
        if (depth > MaxDepth)
        {
            throw new StackvaultException($"refusing to export: tree {id.ToShortString()} nests directories deeper than {MaxDepth} levels: a crafted or corrupt tree");
        }
    }
}
