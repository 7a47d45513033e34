using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>
    /// Walks every snapshot's trees (each tree once) and returns every blob they reference. Stops, before anything
    /// is changed, when a referenced blob is in no index: it might live in an orphan pack that must not be deleted.
    /// </summary>
    private async ValueTask<HashSet<ObjectId>> MarkUsedAsync(CancellationToken cancellationToken)
    {
        var used = new HashSet<ObjectId>();
        var walked = new HashSet<ObjectId>();
        var snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (snapshotId, snapshot) in snapshots)
        {
            var pending = new Stack<(ObjectId Tree, string Path)>();
            pending.Push((ObjectId.Parse(snapshot.Tree), "/"));
            while (pending.TryPop(out var item))
            {
                if (!walked.Add(item.Tree))
                {
                    continue;
                }

                if (!repository.Index.TryGet(item.Tree, out var location) || location.Type != BlobType.Tree)
                {
                    throw Refuse($"snapshot {snapshotId.ToShortString()} needs tree {item.Tree.ToShortString()} ({item.Path}), which is in no index");
                }

                used.Add(item.Tree);
                var tree = await repository.LoadTreeAsync(item.Tree, cancellationToken).ConfigureAwait(false);
                foreach (var node in tree.Nodes)
                {
                    foreach (var hex in node.Content ?? [])
                    {
                        if (!ObjectId.TryParse(hex, out var blob) || !repository.Index.Contains(blob))
                        {
                            throw Refuse($"snapshot {snapshotId.ToShortString()} needs data blob {hex[..Math.Min(8, hex.Length)]} of {item.Path}{node.Name}, which is in no index");
                        }

                        used.Add(blob);
                    }

                    if (node.Type == NodeType.Directory)
                    {
                        if (!ObjectId.TryParse(node.Subtree, out var subtree))
                        {
                            throw Refuse($"snapshot {snapshotId.ToShortString()}: directory {item.Path}{node.Name} has no valid subtree id");
                        }

                        pending.Push((subtree, item.Path + node.Name + "/"));
                    }
                }
            }
        }

        _result.Snapshots = snapshots.Count;
        _result.UsedBlobs = used.Count;
        Log?.Invoke($"{snapshots.Count} snapshots reference {used.Count} blobs in {walked.Count} trees");
        return used;
    }
}
