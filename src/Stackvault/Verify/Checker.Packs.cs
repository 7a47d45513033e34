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
        // Each worker's buffers are made at once for the largest pack and blob to read: grown pack after pack, every
        // smaller buffer left behind was garbage in the large-object heap, which a verify rarely collects.
        // The sizes come from the index, which is what verify checks: made up front only up to what this repository
        // writes (a pack, a maximum chunk), so a corrupt length is reported, not allocated; larger real ones grow lazily.
        var packCap = Math.Max(repository.Config.PackSize, repository.Blobs.MaxEncodedLength(repository.Config.ChunkMaxSize)) + (1L << 18);
        var largestPack = Math.Min(packCap, packs.Count == 0 ? 0 : packs.Max(p => _expectedSizes.GetValueOrDefault(p)));
        var largestBlob = Math.Min(repository.Config.ChunkMaxSize, packs.Select(p => expected.GetValueOrDefault(p)).Where(b => b is { Count: > 0 }).Select(b => b!.Values.Max(l => (long)l.RawLength)).DefaultIfEmpty(0).Max());
        await Parallel.ForEachAsync(packs, parallel, async (pack, ct) =>
        {
            var handle = new ObjectHandle(ObjectKind.Pack, pack.ToString());
            var buffers = _packBuffers.TryTake(out var reused) ? reused : new PackBuffers(largestPack, largestBlob);
            try
            {
                var size = await repository.Storage.StatAsync(handle, ct).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
                var bytes = buffers.PackOf(size);
                await repository.Storage.ReadAtAsync(handle, 0, bytes.AsMemory(0, (int)size), ct).ConfigureAwait(false);
                var blobs = CheckPack(handle, bytes.AsSpan(0, (int)size), expected.GetValueOrDefault(pack) ?? [], buffers);
                lock (_result)
                {
                    _result.PacksRead++;
                    _result.BlobsRead += blobs;
                    _result.BytesRead += size;
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
            finally
            {
                _packBuffers.Add(buffers);
            }

            options.Progress?.AddFile(_expectedSizes.GetValueOrDefault(pack)); // read or failed: this pack is done
        }).ConfigureAwait(false);
    }

    /// <summary>Checks the pack's hash, header and every blob against the index; returns the number of blobs.</summary>
    private int CheckPack(ObjectHandle handle, Span<byte> bytes, Dictionary<ObjectId, BlobLocation> indexed, PackBuffers buffers)
    {
        repository.Hash.CheckPack(handle, bytes);
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
                lock (_result)
                {
                    _result.Warnings.Add($"{handle}: blob {entry.Id.ToShortString()} is not indexed at this place");
                }

                continue;
            }

            // Decrypted in place in the pack's buffer (the pack's hash and header were checked above).
            repository.Blobs.DecodeInPlace(bytes.Slice((int)entry.Offset, (int)entry.Length), location, handle, buffers.PlainOf(entry.RawLength).AsSpan(0, (int)entry.RawLength));
        }

        if (indexed.Count > entries.Length)
        {
            throw new CorruptObjectException(handle, $"the index lists {indexed.Count} blobs, the pack header {entries.Length}");
        }

        return entries.Length;
    }

    /// <summary>
    /// One pack buffer and one plaintext buffer per pack in flight, reused, made for the largest pack and blob to read
    /// (rounded up to 1 MiB; grown only if a pack is larger than the index says). Pooled power-of-two arrays of every
    /// size a repository's packs and blobs take used to stay rented side by side, so verify's peak memory grew with
    /// the repository (175 MB at 5 GB): now it is at most <c>concurrency</c> times (largest pack + largest blob).
    /// </summary>
    private sealed class PackBuffers
    {
        private byte[] _pack;
        private byte[] _plain;

        public PackBuffers(long pack, long plain)
        {
            _pack = [];
            _plain = [];
            Grown(ref _pack, pack);
            Grown(ref _plain, plain);
        }

        public byte[] PackOf(long length) => Grown(ref _pack, length);

        public byte[] PlainOf(long length) => Grown(ref _plain, length);

        private static byte[] Grown(ref byte[] buffer, long length)
        {
            if (buffer.Length < length)
            {
                buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, (length + 0xFFFFF) & ~0xFFFFFL));
            }

            return buffer;
        }
    }
}
