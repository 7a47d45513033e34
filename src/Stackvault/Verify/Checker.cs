using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Verify;

/// <summary>
/// Verifies a repository: every index file and snapshot authenticates and parses, every tree of every snapshot
/// loads, every blob a tree names is indexed, every indexed pack exists with the size its index entries imply; with read-data, every selected pack is read
/// whole and each blob is decrypted, decompressed and hashed. Problems name the object and the snapshots needing it.
/// </summary>
public sealed partial class Checker(Repository.Repository repository, CheckOptions options)
{
    private readonly CheckResult _result = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<PackBuffers> _packBuffers = [];
    private readonly HashSet<ObjectId> _badBlobs = [];
    private readonly Dictionary<ObjectId, CheckProblem> _blobProblems = [];

    public async ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        var select = options.PackSelector();
        await LoadIndexesAsync(cancellationToken).ConfigureAwait(false);
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false))
        {
            stored[info.Handle.Name] = info.Size;
        }

        var indexed = repository.Index.Packs();
        _result.Packs = indexed.Count;
        foreach (var pack in indexed)
        {
            if (!stored.ContainsKey(pack.ToString()))
            {
                var problem = new CheckProblem(new ObjectHandle(ObjectKind.Pack, pack.ToString()).ToString(), "indexed pack is missing");
                _result.Errors.Add(problem);
                MarkPackBad(pack, problem);
            }
        }

        foreach (var (pack, expected) in _expectedSizes)
        {
            if (!_badPacks.Contains(pack) && stored.TryGetValue(pack.ToString(), out var size) && size != expected)
            {
                var problem = new CheckProblem(new ObjectHandle(ObjectKind.Pack, pack.ToString()).ToString(),
                    $"{size} bytes, the index implies {expected} (truncated or damaged; 'stackvault repair index' drops what is lost)");
                _result.Errors.Add(problem);
                MarkPackBad(pack, problem);
            }
        }

        foreach (var pack in indexed)
        {
            stored.Remove(pack.ToString());
        }

        foreach (var orphan in stored.Keys)
        {
            _result.Warnings.Add($"pack {orphan} is in no index (left by an interrupted backup; prune removes it)");
        }

        var snapshots = await LoadSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var selected = indexed.Where(p => select(p)).ToList();
        _result.PacksSelected = selected.Count;
        var packsToRead = selected.Where(p => !_badPacks.Contains(p)).ToList();
        options.Progress?.SetTotals(packsToRead.Count, packsToRead.Sum(p => _expectedSizes.GetValueOrDefault(p)));
        await ReadPacksAsync(packsToRead, cancellationToken).ConfigureAwait(false);
        await WalkTreesAsync(snapshots, cancellationToken).ConfigureAwait(false);
        return _result;
    }

    private async ValueTask LoadIndexesAsync(CancellationToken cancellationToken)
    {
        var files = await repository.ReadIndexFilesAsync((handle, e) => _result.Errors.Add(new CheckProblem(handle.ToString(), e.Message)), cancellationToken).ConfigureAwait(false);
        foreach (var (_, file, _) in files.Where(f => f.Live))
        {
            foreach (var (packId, blobs) in file.Packs)
            {
                repository.Index.AddPack(packId, blobs);
                _expectedSizes.TryAdd(packId, ExpectedPackSize(blobs));
            }
        }
    }

    private async ValueTask<List<(ObjectId Id, Snapshot Snapshot)>> LoadSnapshotsAsync(CancellationToken cancellationToken)
    {
        var list = new List<(ObjectId, Snapshot)>();
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Snapshot, cancellationToken).ConfigureAwait(false))
        {
            if (!ObjectId.TryParse(info.Handle.Name, out var id))
            {
                _result.Warnings.Add($"{info.Handle} is not named by a snapshot id; ignored");
                continue;
            }

            try
            {
                list.Add((id, await repository.LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false)));
            }
            catch (StackvaultException e)
            {
                _result.Errors.Add(new CheckProblem(info.Handle.ToString(), e.Message) { Snapshots = { id.ToShortString() } });
            }
        }

        _result.Snapshots = list.Count;
        return list;
    }

    private void MarkPackBad(ObjectId pack, CheckProblem problem)
    {
        lock (_badBlobs)
        {
            _badPacks.Add(pack);
            foreach (var blob in repository.Index.Snapshot().Where(b => repository.Index.PackId(b.PackIndex) == pack))
            {
                _badBlobs.Add(blob.Id);
                _blobProblems.TryAdd(blob.Id, problem);
            }
        }
    }

    private readonly HashSet<ObjectId> _badPacks = [];
    private readonly Dictionary<ObjectId, long> _expectedSizes = [];

    /// <summary>A pack's size from its index entries: the blobs, the sealed header (section 7) and the trailer.</summary>
    private long ExpectedPackSize(List<PackEntry> blobs) =>
        blobs.Sum(b => (long)b.Length) + PackFormat.HeaderPrefixSize + ((long)blobs.Count * PackFormat.EntrySize)
        + repository.Blobs.Cipher.Overhead + PackFormat.TrailerSize;
}
