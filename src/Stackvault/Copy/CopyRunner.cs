using System.Text.Json;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Progress;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;

namespace Stackvault.Copy;

/// <summary>
/// Copies snapshots from one repository to another (docs/design.md section 19). Blob ids are keyed per repository, so
/// every blob the destination lacks is read and checked with the source's key, re-identified with the destination's
/// id key and re-encrypted; trees are rewritten with the new ids. Chunk boundaries stay those of the source. Per
/// snapshot: packs, then an index file, then the snapshot manifest (the commit point), carrying
/// <see cref="Snapshot.Original"/>, so a later run skips it. Unchanged subtrees and files of a snapshot whose
/// predecessor was copied before are taken over from that copy without reading their data.
/// The caller holds a shared lock on the source and a shared (append) lock on the destination; the runner reloads
/// both master indexes. Memory: both master indexes, a map of the trees copied this run (about 100 bytes per tree),
/// and at most <see cref="BlobConcurrency"/> blobs being read plus the pack writer's buffers.
/// </summary>
public sealed partial class CopyRunner(Repository.Repository source, RepositoryLock sourceLock, Repository.Repository destination, RepositoryLock destinationLock)
{
    /// <summary>Data blobs of one file read from the source at the same time.</summary>
    public const int BlobConcurrency = 4;

    private static readonly byte[] IdProbe = "stackvault-copy-id-probe"u8.ToArray();

    private readonly Dictionary<ObjectId, ObjectId> _trees = [];
    private readonly PackCache? _packCache = source.Storage is Storage.S3.S3Storage ? new PackCache(source.Storage) : null;
    private readonly List<CopiedSnapshot> _done = [];
    private bool _sameIds;
    private int _remaining = -1;
    private long _dataBlobs;
    private long _treeBlobs;
    private long _dataAdded;
    private long _dataAddedPacked;
    private long _packs;
    private long _blobsPresent;
    private long _blobsReused;

    /// <summary>A line per snapshot for people; null for none.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Counters of the copy: files and their bytes handled, against the totals the manifests of the snapshots to copy
    /// record (unknown when one has no summary); what a copy skips unread as unchanged counts as done. Null when nobody watches.
    /// </summary>
    public OperationProgress? Progress { get; init; }

    /// <summary>The snapshots considered so far (also readable after a failure: what was committed before it).</summary>
    public IReadOnlyList<CopiedSnapshot> Done => _done;

    /// <summary>Selected snapshots the destination still lacks (-1 until the run has listed both repositories): a tier's lag.</summary>
    public int Remaining => Volatile.Read(ref _remaining);

    /// <summary>The identity of a snapshot across copies: its <see cref="Snapshot.Original"/>, else its own id.</summary>
    public static ObjectId OriginOf(ObjectId id, Snapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Original ?? id;
    }

    /// <summary>The origins present in a repository: each snapshot's own id and its <see cref="Snapshot.Original"/>.</summary>
    public static Dictionary<ObjectId, (ObjectId Id, Snapshot Snapshot)> Origins(IEnumerable<(ObjectId Id, Snapshot Snapshot)> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        var result = new Dictionary<ObjectId, (ObjectId, Snapshot)>();
        foreach (var s in snapshots)
        {
            result.TryAdd(s.Id, s);
            result.TryAdd(OriginOf(s.Id, s.Snapshot), s);
        }

        return result;
    }

    /// <summary>Copies the selected source snapshots the destination lacks, oldest first.</summary>
    /// <exception cref="StackvaultException">Source and destination are the same repository (exit 2), a blob is unreadable, a lock was lost.</exception>
    public async ValueTask<CopyResult> RunAsync(CopySelection selection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        if (source.Config.Id == destination.Config.Id)
        {
            throw new UsageException($"{source.Storage.Location} and {destination.Storage.Location} are the same repository (same config id)");
        }

        _sameIds = source.Blobs.Hasher.ComputeId(IdProbe) == destination.Blobs.Hasher.ComputeId(IdProbe);
        var all = await source.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var selected = selection.Apply(all);
        var present = Origins(await destination.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false));
        var pending = selected.Where(s => !present.ContainsKey(OriginOf(s.Id, s.Snapshot)) && !present.ContainsKey(s.Id)).Select(s => s.Snapshot.Summary).ToList();
        _remaining = pending.Count;
        if (pending.All(summary => summary is not null))
        {
            Progress?.SetTotals(pending.Sum(summary => summary!.TotalFilesProcessed), pending.Sum(summary => summary!.TotalBytesProcessed));
        }

        if (_remaining > 0)
        {
            await source.ReloadIndexAsync(cancellationToken).ConfigureAwait(false);
            await destination.ReloadIndexAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (id, snapshot) in selected)
        {
            var origin = OriginOf(id, snapshot);
            if (present.TryGetValue(origin, out var existing) || present.TryGetValue(id, out existing))
            {
                _done.Add(Entry(id, snapshot, existing.Id, CopiedSnapshot.Skipped));
                continue;
            }

            var reference = FindReference(id, snapshot, all, present);
            var parent = all.FirstOrDefault(s => s.Id == snapshot.Parent);
            var parentCopy = parent.Snapshot is not null && present.TryGetValue(OriginOf(parent.Id, parent.Snapshot), out var mapped) ? mapped.Id : (ObjectId?)null;
            var (filesBefore, bytesBefore) = (Progress?.Files ?? 0, Progress?.Bytes ?? 0);
            var copy = await CopySnapshotAsync(id, snapshot, reference, parentCopy, cancellationToken).ConfigureAwait(false);
            if (snapshot.Summary is { } summary)
            {
                Progress?.AdvanceTo(filesBefore + summary.TotalFilesProcessed, bytesBefore + summary.TotalBytesProcessed); // unchanged parts were not walked
            }
            present[origin] = copy;
            present[copy.Id] = copy;
            Interlocked.Decrement(ref _remaining);
            _done.Add(Entry(id, snapshot, copy.Id, CopiedSnapshot.Copied));
            Log?.Invoke($"copied snapshot {id.ToShortString()} ({snapshot.Time:u}, {snapshot.Hostname}) as {copy.Id.ToShortString()}");
        }

        return new CopyResult([.. _done], _dataBlobs, _treeBlobs, _dataAdded, _dataAddedPacked, _packs, _blobsPresent, _blobsReused);
    }

    /// <summary>An earlier snapshot already copied (its parent if possible, else the newest of the same host and paths): its two root trees.</summary>
    private static (ObjectId Source, ObjectId Destination)? FindReference(
        ObjectId id, Snapshot snapshot, IReadOnlyList<(ObjectId Id, Snapshot Snapshot)> all, Dictionary<ObjectId, (ObjectId Id, Snapshot Snapshot)> present)
    {
        var candidates = all.Where(s => s.Id != id && present.ContainsKey(OriginOf(s.Id, s.Snapshot))).ToList();
        var pick = candidates.FirstOrDefault(s => s.Id == snapshot.Parent);
        if (pick.Snapshot is null)
        {
            pick = candidates.LastOrDefault(s => s.Snapshot.Hostname == snapshot.Hostname && s.Snapshot.Paths.SequenceEqual(snapshot.Paths));
        }

        return pick.Snapshot is null ? null : (pick.Snapshot.Tree, present[OriginOf(pick.Id, pick.Snapshot)].Snapshot.Tree);
    }

    private async ValueTask<(ObjectId Id, Snapshot Snapshot)> CopySnapshotAsync(
        ObjectId id, Snapshot snapshot, (ObjectId Source, ObjectId Destination)? reference, ObjectId? parentCopy, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sourceLock.Lost, destinationLock.Lost);
        var writer = new BlobWriter(destination, destinationLock.ThrowIfLost);
        await using (writer.ConfigureAwait(false))
        {
            ObjectId root;
            try
            {
                root = await CopyTreeAsync(snapshot.Tree, reference?.Source, reference?.Destination, writer, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Like an interrupted backup: store what is queued (the next run reuses it), write no snapshot.
                await writer.CompleteAsync().ConfigureAwait(false);
                destinationLock.ThrowIfLost();
                sourceLock.ThrowIfLost();
                throw;
            }

            await writer.CompleteAsync().ConfigureAwait(false);
            Count(writer.Stats);
            var copy = Clone(snapshot);
            copy.Tree = root;
            copy.Original = OriginOf(id, snapshot);
            copy.Parent = parentCopy;
            linked.Token.ThrowIfCancellationRequested();
            sourceLock.ThrowIfLost();
            destinationLock.ThrowIfLost();
            return (await destination.SaveSnapshotAsync(copy, CancellationToken.None).ConfigureAwait(false), copy);
        }
    }

    private void Count(BlobWriterStats stats)
    {
        _dataBlobs += stats.DataBlobs;
        _treeBlobs += stats.TreeBlobs;
        _dataAdded += stats.RawBytes;
        _dataAddedPacked += stats.StoredBytes;
        _packs += stats.Packs;
    }

    /// <summary>A deep copy through the manifest's own JSON, so every field (also ones added later) is carried over.</summary>
    private static Snapshot Clone(Snapshot snapshot) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(snapshot, ModelJsonContext.Default.Snapshot), ModelJsonContext.Default.Snapshot)!;

    private static CopiedSnapshot Entry(ObjectId id, Snapshot snapshot, ObjectId destinationId, string status) =>
        new(id.ToString(), destinationId.ToString(), status, snapshot.Time, snapshot.Hostname, snapshot.Paths);
}
