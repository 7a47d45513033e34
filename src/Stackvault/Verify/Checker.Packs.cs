using System.Buffers.Binary;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Verify;

public sealed partial class Checker
{
    private async ValueTask ReadPacksAsync(List<ObjectId> packs, CancellationToken cancellationToken)
    {
        var expected = repository.Index.Snapshot().GroupBy(b => b.PackIndex).ToDictionary(g => repository.Index.PackId(g.Key), g => g.ToDictionary(b => b.Id));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(packs, parallel, async (pack, ct) =>
        {
            var handle = new ObjectHandle(ObjectKind.Pack, pack.ToString());
            try
            {
                // Packs are read into pooled buffers: a fresh 16 MiB array per pack would sit on the large-object
                // heap until a full GC, and verify's memory would grow with the repository.
                var size = await repository.Storage.StatAsync(handle, ct).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
                var rented = Stackvault.Buffers.BufferPool.Rent((int)size);
                try
                {
                    await repository.Storage.ReadAtAsync(handle, 0, rented.AsMemory(0, (int)size), ct).ConfigureAwait(false);
                    var blobs = CheckPack(handle, rented.AsSpan(0, (int)size), expected.GetValueOrDefault(pack) ?? []);
                    lock (_result)
                    {
                        _result.PacksRead++;
                        _result.BlobsRead += blobs;
                        _result.BytesRead += size;
                    }
                }
                finally
                {
                    Stackvault.Buffers.BufferPool.Return(rented);
                }
            }
            catch (StackvaultException e)
            {
                var problem = new CheckProblem(handle.ToString(), e is CorruptObjectException c ? c.Message.Replace($"corrupt object {handle}: ", string.Empty, StringComparison.Ordinal) : e.Message);
                lock (_result)
                {
                    _result.Errors.Add(problem);
                }

                MarkPackBad(pack, problem);
                options.Progress?.AddError();
            }

            options.Progress?.AddFile(_expectedSizes.GetValueOrDefault(pack)); // read or failed: this pack is done
        }).ConfigureAwait(false);
    }

    /// <summary>Checks the pack's hash, header and every blob against the index; returns the number of blobs.</summary>
    private int CheckPack(ObjectHandle handle, ReadOnlySpan<byte> bytes, Dictionary<ObjectId, BlobLocation> indexed)
    {
        ObjectNames.Check(handle, bytes);
        if (bytes.Length < PackFormat.TrailerSize)
        {
            throw new CorruptObjectException(handle, $"{bytes.Length} bytes, shorter than the trailer");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^PackFormat.TrailerSize..]);
        if (headerLength > bytes.Length - PackFormat.TrailerSize)
        {
            throw new CorruptObjectException(handle, $"header_length {headerLength} exceeds the pack's {bytes.Length} bytes");
        }

        var dataLength = bytes.Length - PackFormat.TrailerSize - (int)headerLength;
        PackEntry[] entries;
        try
        {
            var header = repository.Blobs.Cipher.Open(bytes.Slice(dataLength, (int)headerLength));
            entries = PackFormat.DecodeHeader(header, dataLength, repository.Blobs.Cipher.Overhead);
        }
        catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw new CorruptObjectException(handle, "header: " + e.Message);
        }

        foreach (var entry in entries)
        {
            if (!indexed.TryGetValue(entry.Id, out var location) || location.Offset != entry.Offset || location.Length != entry.Length || location.Type != entry.Type)
            {
                _result.Warnings.Add($"{handle}: blob {entry.Id.ToShortString()} is not indexed at this place");
                continue;
            }

            var plain = Stackvault.Buffers.BufferPool.Rent((int)entry.RawLength);
            try
            {
                repository.Blobs.Decode(bytes.Slice((int)entry.Offset, (int)entry.Length), location, handle, plain.AsSpan(0, (int)entry.RawLength));
            }
            finally
            {
                Stackvault.Buffers.BufferPool.Return(plain);
            }
        }

        if (indexed.Count > entries.Length)
        {
            throw new CorruptObjectException(handle, $"the index lists {indexed.Count} blobs, the pack header {entries.Length}");
        }

        return entries.Length;
    }
}
