using Stackvault.Errors;

namespace Stackvault.Repository.Model;

/// <summary>
/// Bounded cost on crafted trees (docs/design.md 15, issue 14 item 11), shared by every walker of a snapshot's trees
/// (export, tools/recover.py mirrors the numbers). Tree ids are content hashes, so trees form a DAG, but a DAG can
/// still be a bomb: 31 tree blobs whose two entries both name the next one list 2^30 paths from 62 stored nodes, and
/// a chain of 20,000 directories is a path no file system takes. A walk therefore fails, with a one-line error
/// naming the tree, beyond <see cref="MaxDepth"/> directory levels, or once it has listed more than
/// <see cref="ExpansionFloor"/> entries and more than <see cref="ExpansionRatio"/> times the nodes its distinct
/// trees hold. Real snapshots repeat directories (identical subtrees share one id) far less than 1000 times over.
/// </summary>
public sealed class TreeWalkLimits
{
    public const int MaxDepth = 1024;

    public const long ExpansionFloor = 100_000;

    public const long ExpansionRatio = 1000;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private long _distinctNodes;
    private long _listed;

    /// <summary>Entries listed so far (every visit of a tree counts its nodes).</summary>
    public long Listed => _listed;

    /// <summary>Checks the depth of a directory about to be walked (the root's children are at depth 1).</summary>
    public static void CheckDepth(int depth, string where, string operation)
    {
        if (depth > MaxDepth)
        {
            throw new StackvaultException($"{where}: more than {MaxDepth} directory levels: {operation} refused (a crafted or damaged snapshot)");
        }
    }

    /// <summary>Counts one visit of a tree of <paramref name="nodes"/> entries; throws once the walk expands beyond the limits.</summary>
    public void Visit(string treeId, int nodes, string where, string operation)
    {
        if (_distinct.Add(treeId))
        {
            _distinctNodes += nodes;
        }

        _listed += nodes;
        if (_listed > ExpansionFloor && _listed > ExpansionRatio * Math.Max(1, _distinctNodes))
        {
            throw new StackvaultException($"{where}: the snapshot lists more than {_listed} entries from {_distinct.Count} distinct trees holding {_distinctNodes} nodes (trees that reference each other over and over): {operation} refused");
        }
    }
}
