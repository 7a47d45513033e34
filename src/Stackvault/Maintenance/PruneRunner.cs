using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Maintenance;

/// <summary>
/// <c>stackvault prune</c>, under the exclusive lock: (1) read every index file and every snapshot, mark every blob
/// the snapshots' trees reference; (2) classify packs: fully used (keep), partly used (keep, or repack while the
/// unused share exceeds --max-unused, most unused bytes first), unused (delete), and packs in no index (orphans: no
/// live lock can own them while we hold the exclusive one); (3) repack; (4) write one new index file (more when huge)
/// superseding every index file read; (5) delete the superseded index files; (6) only then delete unused and repacked
/// packs and the orphans. A prune killed at any point leaves a valid repository; the next prune finishes the job.
/// Memory: the set of used blob ids (about 44-48 bytes per blob) besides the master index, plus one pack being read.
/// </summary>
public sealed partial class PruneRunner(Repository.Repository repository, RepositoryLock repositoryLock, PruneOptions options)
{
    private readonly List<ObjectHandle> _indexHandles = [];
    private readonly Dictionary<ObjectId, PackUsage> _packs = [];
    private readonly HashSet<ObjectId> _pendingOrphans = [];
    private readonly Dictionary<ObjectId, long> _stored = [];
    private readonly PruneResult _result = new() { DryRun = options.DryRun };

    /// <summary>Progress lines for people; null for none.</summary>
    public Action<string>? Log { get; init; }

    public async ValueTask<PruneResult> RunAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        if (repositoryLock.Kind != LockKind.Exclusive)
        {
            throw new InvalidOperationException("prune needs the exclusive lock");
        }

        await LoadIndexFilesAsync(cancellationToken).ConfigureAwait(false);
        await ListPacksAsync(cancellationToken).ConfigureAwait(false);
        var used = await MarkUsedAsync(cancellationToken).ConfigureAwait(false);
        var plan = Plan(used);
        if (options.DryRun)
        {
            return _result;
        }

        await SweepAsync(cancellationToken).ConfigureAwait(false);
        if (plan.IsNoOp(_indexHandles.Count, _pendingOrphans.Count))
        {
            _result.NothingToDo = true;
            return _result;
        }

        var newPacks = await RepackAsync(plan, cancellationToken).ConfigureAwait(false);
        await CommitAsync(plan, newPacks, cancellationToken).ConfigureAwait(false);
        return _result;
    }

    /// <summary>
    /// Leftovers last written this long before prune's exclusive lock was taken are removed. Every writer holds a lock
    /// (a shared one conflicts with ours), so a leftover older than our lock belongs to a writer that died or lost its
    /// lease (and stopped); the margin covers only other processes' lock objects being written as ours was.
    /// </summary>
    public static readonly TimeSpan AbandonedMargin = TimeSpan.FromSeconds(2);

    private async ValueTask SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = repositoryLock.Record.Created - AbandonedMargin;
        var swept = await repository.Storage.SweepAbandonedAsync(cutoff, cancellationToken).ConfigureAwait(false);
        _result.AbandonedRemoved = swept.Removed;
        _result.AbandonedBytes = swept.Bytes;
        _result.SweepNote = swept.Note;
        if (swept.Removed > 0)
        {
            Log?.Invoke($"removed {swept.Removed} leftovers of killed writers ({swept.Bytes} bytes)");
        }
    }

    /// <summary>Reads every index file; the live ones (superseded by none) fill the master index and the pack table.</summary>
    private async ValueTask LoadIndexFilesAsync(CancellationToken cancellationToken)
    {
        var files = await repository.ReadIndexFilesAsync(null, cancellationToken).ConfigureAwait(false);
        foreach (var (handle, file, live) in files)
        {
            _indexHandles.Add(handle);
            _pendingOrphans.UnionWith(file.PendingOrphans);
            if (!live)
            {
                continue;
            }

            foreach (var (packId, blobs) in file.Packs)
            {
                repository.Index.AddPack(packId, blobs);
                _packs.TryAdd(packId, new PackUsage(packId, blobs, 0));
            }
        }

        _result.IndexFilesRead = _indexHandles.Count;
        _result.PacksIndexed = _packs.Count;
        Log?.Invoke($"loaded {_indexHandles.Count} index files: {_packs.Count} packs, {repository.Index.Count} blobs");
    }

    private async ValueTask ListPacksAsync(CancellationToken cancellationToken)
    {
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (ObjectId.TryParse(info.Handle.Name, out var id))
            {
                _stored[id] = info.Size;
            }
        }

        foreach (var id in _packs.Keys.ToList())
        {
            var usage = _packs[id];
            _packs[id] = new PackUsage(id, usage.Entries, _stored.GetValueOrDefault(id));
        }

        _result.BytesBefore = _stored.Values.Sum();
    }

    private static ObjectHandle PackHandle(ObjectId id) => new(ObjectKind.Pack, id.ToString());

    private void CheckLock() => repositoryLock.ThrowIfLost();

    private static StackvaultException Refuse(string message) =>
        new StackvaultException($"prune stopped before changing anything: {message}; run 'stackvault repair index' (it indexes every readable pack), then 'stackvault repair snapshots' if snapshots still need lost data");
}
