using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>
    /// Walks every readable snapshot's trees (each tree once) and returns every blob they reference. A referenced blob
    /// in no index might live in an orphan pack that must not be deleted: prune then stops before anything is changed,
    /// unless every stored pack is indexed (after 'repair index'), when the blob is lost for good: it is reported
    /// ('repair snapshots' removes the reference) and prune goes on.
    /// </summary>
    private async ValueTask<HashSet<ObjectId>> MarkUsedAsync(CancellationToken cancellationToken)
    {
        var used = new HashSet<ObjectId>();
        var walked = new HashSet<ObjectId>();
        var snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        _result.UnreadableSnapshots.AddRange(repository.UnreadableSnapshots.Keys.Select(id => id.ToString()));

        // Packs recorded as pending orphans (damaged packs 'repair index' left out, packs a prune is deleting) are known
        // to hold nothing indexable: only other unindexed packs could hide a referenced blob.
        var noOrphans = _stored.Keys.All(id => _packs.ContainsKey(id) || _pendingOrphans.Contains(id));
        foreach (var (snapshotId, snapshot) in snapshots)
        {
            var pending = new Stack<(ObjectId Tree, string Path)>();
            pending.Push((snapshot.Tree, "/"));
            while (pending.TryPop(out var item))
            {
                if (!walked.Add(item.Tree))
                {
                    continue;
                }

                if (!repository.Index.TryGet(item.Tree, out var location) || location.Type != BlobType.Tree)
                {
                    if (noOrphans)
                    {
                        Lost(snapshotId, $"tree {item.Tree.ToShortString()} ({item.Path})");
                        continue;
                    }

                    throw Refuse($"snapshot {snapshotId.ToShortString()} needs tree {item.Tree.ToShortString()} ({item.Path}), which is in no index");
                }

                used.Add(item.Tree);
                Tree tree;
                try
                {
                    tree = await repository.LoadTreeAsync(item.Tree, cancellationToken).ConfigureAwait(false);
                }
                catch (Errors.StackvaultException e) when (noOrphans && e is Errors.CorruptObjectException or Errors.ObjectNotFoundException)
                {
                    Lost(snapshotId, $"tree {item.Tree.ToShortString()} ({item.Path}): {e.Message}");
                    continue;
                }

                foreach (var node in tree.Nodes)
                {
                    foreach (var blob in node.Content ?? [])
                    {
                        if (!repository.Index.Contains(blob))
                        {
                            if (noOrphans)
                            {
                                Lost(snapshotId, $"data blob {blob.ToShortString()} of {item.Path}{node.Name}");
                                continue;
                            }

                            throw Refuse($"snapshot {snapshotId.ToShortString()} needs data blob {blob.ToShortString()} of {item.Path}{node.Name}, which is in no index");
                        }

                        used.Add(blob);
                    }

                    if (node.Type == NodeType.Directory)
                    {
                        if (node.Subtree is not { } subtree)
                        {
                            throw Refuse($"snapshot {snapshotId.ToShortString()}: directory {item.Path}{node.Name} has no valid subtree id");
                        }

                        pending.Push((subtree, item.Path + node.Name + "/"));
                    }
                }
            }
        }

        if (_result.LostBlobs > 0)
        {
            repository.Warn?.Invoke($"{_result.LostBlobs} blobs that snapshots {string.Join(", ", _result.SnapshotsNeedingLostData)} reference are lost (in no pack); run 'stackvault repair snapshots' to drop or rewrite those snapshots");
        }

        _result.Snapshots = snapshots.Count;
        _result.UsedBlobs = used.Count;
        Log?.Invoke($"{snapshots.Count} snapshots reference {used.Count} blobs in {walked.Count} trees");
        return used;
    }

    private void Lost(ObjectId snapshot, string what)
    {
        _result.LostBlobs++;
        if (!_result.SnapshotsNeedingLostData.Contains(snapshot.ToShortString()))
        {
            _result.SnapshotsNeedingLostData.Add(snapshot.ToShortString());
        }

        Log?.Invoke($"snapshot {snapshot.ToShortString()} needs {what}, which is lost");
    }
}
