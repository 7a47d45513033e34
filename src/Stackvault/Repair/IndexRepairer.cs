using System.Buffers.Binary;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Repair;

/// <summary>
/// <c>stackvault repair index</c>, under the exclusive lock: rebuilds the index from the packs themselves. Each stored
/// pack keeps the entries a readable index file gives it when its size matches them; otherwise (unindexed, indexed
/// only by a damaged index file, wrong size, or every pack with <see cref="ReadAllPacks"/>, which also reads each pack
/// whole and checks its SHA-256 name) its sealed header is read and authenticated. Packs whose header fails are left out (named, and recorded as pending orphans, so prune knows
/// they hide nothing); indexed packs storage lost are dropped. Then one
/// new index superseding every old index file (readable or not) is written, and the old files are deleted.
/// </summary>
public sealed class IndexRepairer(Repository.Repository repository, RepositoryLock repositoryLock)
{
    public bool DryRun { get; init; }

    public bool ReadAllPacks { get; init; }

    public Action<string>? Log { get; init; }

    public async ValueTask<IndexRepairResult> RunAsync(CancellationToken cancellationToken)
    {
        if (repositoryLock.Kind != LockKind.Exclusive)
        {
            throw new InvalidOperationException("repair index needs the exclusive lock");
        }

        var result = new IndexRepairResult { DryRun = DryRun };
        var oldFiles = new List<ObjectHandle>();
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false))
        {
            oldFiles.Add(info.Handle);
        }

        var files = await repository.ReadIndexFilesAsync((handle, e) => result.IndexFilesUnreadable.Add($"{handle}: {e.Message}"), cancellationToken).ConfigureAwait(false);
        result.IndexFilesRead = files.Count;
        var known = new Dictionary<ObjectId, List<PackEntry>>();
        foreach (var (_, file, _) in files.Where(f => f.Live))
        {
            foreach (var (packId, blobs) in file.Packs)
            {
                known.TryAdd(packId, blobs);
            }
        }

        var stored = new Dictionary<ObjectId, long>();
        await foreach (var info in repository.Storage.ListAsync(ObjectKind.Pack, cancellationToken).ConfigureAwait(false))
        {
            if (ObjectId.TryParse(info.Handle.Name, out var id))
            {
                stored[id] = info.Size;
            }
        }

        result.PacksStored = stored.Count;
        result.PacksMissing.AddRange(known.Keys.Where(id => !stored.ContainsKey(id)).Select(id => id.ToString()));
        var packs = new List<(ObjectId PackId, List<PackEntry> Blobs)>();
        var damaged = new List<ObjectId>();
        foreach (var (packId, size) in stored.OrderBy(p => p.Key))
        {
            if (!ReadAllPacks && known.TryGetValue(packId, out var entries) && ExpectedSize(entries) == size)
            {
                packs.Add((packId, entries));
                result.PacksFromIndex++;
                continue;
            }

            try
            {
                if (ReadAllPacks)
                {
                    await CheckWholeAsync(packId, size, cancellationToken).ConfigureAwait(false);
                }

                packs.Add((packId, [.. await ReadHeaderAsync(packId, size, cancellationToken).ConfigureAwait(false)]));
                result.PacksHeaderRead++;
            }
            catch (CorruptObjectException e)
            {
                result.PacksDamaged.Add(e.Message);
                damaged.Add(packId);
                Log?.Invoke(e.Message + ": left out of the index");
            }
        }

        result.PacksIndexed = packs.Count;
        result.BlobsIndexed = packs.Sum(p => (long)p.Blobs.Count);
        Log?.Invoke($"{stored.Count} packs: {result.PacksFromIndex} from readable index files, {result.PacksHeaderRead} headers read, " +
            $"{result.PacksDamaged.Count} damaged; {result.PacksMissing.Count} indexed packs missing; {result.IndexFilesUnreadable.Count} index files unreadable");
        if (DryRun)
        {
            return result;
        }

        // One new index (several when huge: only the last supersedes, so a crash in between loses no entry), then the
        // old files. Killed at any point, the repository is readable: old and new files name the same packs.
        var chunks = packs.Chunk(4096).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            var file = new IndexFile();
            file.Packs.AddRange(chunks[i]);
            if (i == chunks.Count - 1)
            {
                file.Supersedes.AddRange(oldFiles.Select(ObjectNames.IdOf));

                // Recorded as pending orphans (section 8): prune then knows they hold nothing it could still index.
                file.PendingOrphans.AddRange(damaged);
            }

            repositoryLock.ThrowIfLost();
            try
            {
                await repository.SaveIndexFileAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectExistsException)
            {
                // the same bytes are stored already
            }

            result.IndexFilesWritten++;
        }

        foreach (var handle in oldFiles)
        {
            repositoryLock.ThrowIfLost();
            await repository.Storage.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
            result.IndexFilesDeleted++;
        }

        return result;
    }

    private long ExpectedSize(List<PackEntry> blobs) =>
        blobs.Sum(b => (long)b.Length) + PackFormat.HeaderPrefixSize + ((long)blobs.Count * PackFormat.EntrySize)
        + repository.Blobs.Cipher.Overhead + PackFormat.TrailerSize;

    /// <summary>Reads the whole pack and checks that its bytes hash to its name (any flipped byte, data or header).</summary>
    private async ValueTask CheckWholeAsync(ObjectId packId, long size, CancellationToken cancellationToken)
    {
        var handle = new ObjectHandle(ObjectKind.Pack, packId.ToString());
        if (size > int.MaxValue)
        {
            throw new CorruptObjectException(handle, $"{size} bytes, larger than any pack");
        }

        var rented = Stackvault.Buffers.BufferPool.Rent((int)size);
        try
        {
            await repository.Storage.ReadAtAsync(handle, 0, rented.AsMemory(0, (int)size), cancellationToken).ConfigureAwait(false);
            repository.Hash.CheckPack(handle, rented.AsSpan(0, (int)size));
        }
        finally
        {
            Stackvault.Buffers.BufferPool.Return(rented);
        }
    }

    /// <summary>Reads and authenticates a pack's header (section 7), every length checked against the pack's size.</summary>
    private async ValueTask<PackEntry[]> ReadHeaderAsync(ObjectId packId, long size, CancellationToken cancellationToken)
    {
        var handle = new ObjectHandle(ObjectKind.Pack, packId.ToString());
        if (size < PackFormat.TrailerSize)
        {
            throw new CorruptObjectException(handle, $"{size} bytes, shorter than the trailer");
        }

        var trailer = new byte[PackFormat.TrailerSize];
        await repository.Storage.ReadAtAsync(handle, size - PackFormat.TrailerSize, trailer, cancellationToken).ConfigureAwait(false);
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (headerLength > size - PackFormat.TrailerSize || headerLength > (64 << 20))
        {
            throw new CorruptObjectException(handle, $"header_length {headerLength} does not fit the pack's {size} bytes");
        }

        var sealedHeader = new byte[headerLength];
        var dataLength = size - PackFormat.TrailerSize - headerLength;
        await repository.Storage.ReadAtAsync(handle, dataLength, sealedHeader, cancellationToken).ConfigureAwait(false);
        try
        {
            var header = repository.Blobs.Cipher.Open(sealedHeader);
            return PackFormat.DecodeHeader(header, dataLength, repository.Blobs.Cipher.Overhead);
        }
        catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw new CorruptObjectException(handle, "header: " + e.Message);
        }
    }
}
