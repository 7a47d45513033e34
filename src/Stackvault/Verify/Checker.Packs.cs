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
                var bytes = await repository.Storage.ReadAllAsync(handle, ct).ConfigureAwait(false);
                var blobs = CheckPack(handle, bytes, expected.GetValueOrDefault(pack) ?? []);
                lock (_result)
                {
                    _result.PacksRead++;
                    _result.BlobsRead += blobs;
                    _result.BytesRead += bytes.Length;
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
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Checks the pack's hash, header and every blob against the index; returns the number of blobs.</summary>
    private int CheckPack(ObjectHandle handle, byte[] bytes, Dictionary<ObjectId, BlobLocation> indexed)
    {
        ObjectNames.Check(handle, bytes);
        if (bytes.Length < PackFormat.TrailerSize)
        {
            throw new CorruptObjectException(handle, $"{bytes.Length} bytes, shorter than the trailer");
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - PackFormat.TrailerSize));
        if (headerLength > bytes.Length - PackFormat.TrailerSize)
        {
            throw new CorruptObjectException(handle, $"header_length {headerLength} exceeds the pack's {bytes.Length} bytes");
        }

        var dataLength = bytes.Length - PackFormat.TrailerSize - (int)headerLength;
        PackEntry[] entries;
        try
        {
            var header = repository.Blobs.Cipher.Open(bytes.AsSpan(dataLength, (int)headerLength));
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

            var plain = System.Buffers.ArrayPool<byte>.Shared.Rent((int)entry.RawLength);
            try
            {
                repository.Blobs.Decode(bytes.AsSpan((int)entry.Offset, (int)entry.Length), location, handle, plain.AsSpan(0, (int)entry.RawLength));
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(plain);
            }
        }

        if (indexed.Count > entries.Length)
        {
            throw new CorruptObjectException(handle, $"the index lists {indexed.Count} blobs, the pack header {entries.Length}");
        }

        return entries.Length;
    }
}
