using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Repair;

/// <summary>
/// <c>stackvault repair snapshots</c>, under the exclusive lock (restic's semantics): walks every snapshot; a file whose
/// content references a blob in no index is removed, a directory whose tree is lost or unreadable becomes an empty
/// directory. A damaged snapshot is rewritten as a new snapshot (same time, host, paths; tag <c>repaired</c>,
/// status partial, one error per dropped path, <c>original</c> naming the old id), written after its new trees and
/// their index. The original is kept unless <see cref="Forget"/>, which also removes snapshots with nothing left and
/// snapshot files that cannot be read. Run <c>repair index</c> first, so the index names exactly what is stored.
/// </summary>
public sealed class SnapshotRepairer(Repository.Repository repository, RepositoryLock repositoryLock)
{
    public const string RepairedTag = "repaired";

    public bool DryRun { get; init; }

    public bool Forget { get; init; }

    public Action<string>? Log { get; init; }

    public async ValueTask<SnapshotRepairResult> RunAsync(CancellationToken cancellationToken)
    {
        if (repositoryLock.Kind != LockKind.Exclusive)
        {
            throw new InvalidOperationException("repair snapshots needs the exclusive lock");
        }

        var result = new SnapshotRepairResult { DryRun = DryRun };
        await repository.LoadIndexAsync(cancellationToken).ConfigureAwait(false);
        var snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        result.Unreadable.AddRange(repository.UnreadableSnapshots.Select(u => $"{u.Key.ToShortString()}: {u.Value}"));
        result.SnapshotsChecked = snapshots.Count;
        await using var writer = DryRun ? null : new BlobWriter(repository, repositoryLock.ThrowIfLost, workers: 1);
        var rewrites = new List<(ObjectId Id, Snapshot Snapshot, ObjectId Tree, List<string> Dropped)>();
        var cache = new Dictionary<ObjectId, (ObjectId Id, List<string> Dropped)?>();
        foreach (var (id, snapshot) in snapshots)
        {
            var dropped = new List<string>();
            var root = snapshot.Tree;
            var newRoot = await RepairTreeAsync(root, "/", writer, dropped, cache, cancellationToken).ConfigureAwait(false);
            if (newRoot is null)
            {
                result.Unrepairable.Add(id.ToShortString());
                Log?.Invoke($"snapshot {id.ToShortString()}: its root tree is lost; nothing to keep");
            }
            else if (dropped.Count == 0)
            {
                result.SnapshotsIntact++;
            }
            else
            {
                rewrites.Add((id, snapshot, newRoot.Value, dropped));
                Log?.Invoke($"snapshot {id.ToShortString()}: {dropped.Count} paths lost ({string.Join(", ", dropped.Take(5))}{(dropped.Count > 5 ? ", ..." : string.Empty)})");
            }
        }

        if (DryRun)
        {
            result.Repaired.AddRange(rewrites.Select(r => new RepairedSnapshot(r.Id.ToShortString(), null, r.Dropped)));
            return result;
        }

        // Write order: the new trees and their index, then the new snapshots, and only then remove the originals.
        await writer!.CompleteAsync().ConfigureAwait(false);
        // A second run finds the originals again: a repaired snapshot of the same original and tree is not written twice.
        var existing = snapshots.Where(s => s.Snapshot.Tags.Contains(RepairedTag) && s.Snapshot.Original is not null)
            .GroupBy(s => (s.Snapshot.Original!, s.Snapshot.Tree)).ToDictionary(g => g.Key, g => g.First().Id);
        foreach (var (id, snapshot, tree, dropped) in rewrites)
        {
            var repaired = Rewrite(id, snapshot, tree, dropped);
            if (existing.TryGetValue((repaired.Original!, repaired.Tree), out var done))
            {
                result.Repaired.Add(new RepairedSnapshot(id.ToShortString(), done.ToShortString(), dropped));
                continue;
            }

            repositoryLock.ThrowIfLost();
            ObjectId newId;
            try
            {
                newId = await repository.SaveSnapshotAsync(repaired, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectExistsException e)
            {
                newId = ObjectNames.IdOf(e.Handle); // the same bytes (unencrypted): written by an earlier run
            }

            result.Repaired.Add(new RepairedSnapshot(id.ToShortString(), newId.ToShortString(), dropped));
        }

        if (Forget)
        {
            var remove = rewrites.Select(r => r.Id.ToString())
                .Concat(snapshots.Where(s => result.Unrepairable.Contains(s.Id.ToShortString())).Select(s => s.Id.ToString()))
                .Concat(repository.UnreadableSnapshots.Keys.Select(k => k.ToString()));
            foreach (var name in remove.Distinct())
            {
                repositoryLock.ThrowIfLost();
                await repository.Storage.DeleteAsync(new ObjectHandle(ObjectKind.Snapshot, name), cancellationToken).ConfigureAwait(false);
                result.SnapshotsRemoved++;
            }
        }

        return result;
    }

    private static Snapshot Rewrite(ObjectId id, Snapshot old, ObjectId tree, List<string> dropped) => new()
    {
        Version = old.Version,
        Time = old.Time,
        Tree = tree,
        Paths = old.Paths,
        Hostname = old.Hostname,
        Username = old.Username,
        Tags = [.. old.Tags.Where(t => t != RepairedTag), RepairedTag],
        Parent = old.Parent,
        Status = SnapshotStatus.Partial,
        Errors = [.. old.Errors, .. dropped.Select(p => new SnapshotError { Path = p, Message = "lost in repository damage; removed by 'repair snapshots'" })],
        ProgramVersion = old.ProgramVersion,
        Summary = old.Summary,
        Components = old.Components,
        Original = old.Original ?? id,
    };

    /// <summary>Returns the id of the repaired tree (the same id when intact), or null when the tree itself is lost.</summary>
    private async ValueTask<ObjectId?> RepairTreeAsync(ObjectId id, string path, BlobWriter? writer, List<string> dropped,
        Dictionary<ObjectId, (ObjectId Id, List<string> Dropped)?> cache, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(id, out var known))
        {
            if (known is { } k)
            {
                dropped.AddRange(k.Dropped.Select(d => path + d));
            }

            return known?.Id;
        }

        Tree tree;
        try
        {
            tree = await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException)
        {
            cache[id] = null;
            return null;
        }

        var local = new List<string>();
        var nodes = new List<Node>(tree.Nodes.Count);
        var changed = false;
        foreach (var node in tree.Nodes)
        {
            if (node.Content is { } content && content.Any(blob => !repository.Index.TryGet(blob, out var l) || l.Type != BlobType.Data))
            {
                local.Add(node.Name);
                changed = true;
                continue;
            }

            if (node.Type == NodeType.Directory)
            {
                var sub = node.Subtree ?? default;
                var subDropped = new List<string>();
                var repaired = await RepairTreeAsync(sub, string.Empty, writer, subDropped, cache, cancellationToken).ConfigureAwait(false);
                if (repaired is null)
                {
                    repaired = await SaveTreeAsync(new Tree(), writer, cancellationToken).ConfigureAwait(false);
                    local.Add(node.Name + "/");
                }

                local.AddRange(subDropped.Select(d => node.Name + "/" + d));
                if (repaired.Value != sub)
                {
                    changed = true;
                    node.Subtree = repaired.Value;
                }
            }

            nodes.Add(node);
        }

        var newId = changed ? await SaveTreeAsync(new Tree { Version = tree.Version, Nodes = nodes }, writer, cancellationToken).ConfigureAwait(false) : id;
        cache[id] = (newId, local);
        dropped.AddRange(local.Select(d => path + d));
        return newId;
    }

    private async ValueTask<ObjectId> SaveTreeAsync(Tree tree, BlobWriter? writer, CancellationToken cancellationToken)
    {
        var bytes = Repository.Repository.SerializeTree(tree);
        var id = repository.Blobs.Hasher.ComputeId(bytes);
        if (writer is not null)
        {
            await writer.SaveAsync(BlobType.Tree, id, bytes, null, cancellationToken).ConfigureAwait(false);
        }

        return id;
    }
}
