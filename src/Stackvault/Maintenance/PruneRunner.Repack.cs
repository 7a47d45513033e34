using Stackvault.Buffers;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>The bytes of decoded blobs between the packs being read and the pack writer: three 8 MiB chunks.</summary>
    public const int RepackBlobBytes = 24 << 20;

    /// <summary>
    /// Copies the used blobs of the packs to repack into new packs (each blob decoded and its id recomputed on
    /// the way). The writer saves packs and then index files naming them, so a crash here leaves the old index
    /// intact and at worst duplicate or orphan copies. Returns the writer's index files and the packs they list.
    /// Memory: one pack buffer, reused pack after pack (blobs are decrypted in place in it), and the decoded blobs
    /// waiting for the writer in one ring of <see cref="RepackBlobBytes"/>: a fresh array per pack and per blob was
    /// garbage in the large-object heap, which grew with the number of packs repacked until a full collection.
    /// </summary>
    private async ValueTask<(List<ObjectHandle> IndexFiles, List<(ObjectId PackId, List<PackEntry> Blobs)> Packs)> RepackAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        options.Progress?.SetTotals(plan.Repack.Count, plan.Repack.Sum(p => p.Size));
        if (plan.Repack.Count == 0)
        {
            return ([], []);
        }

        await using var writer = new BlobWriter(repository, CheckLock, 0, dedupAgainstIndex: false);
        var blobs = new ByteRing(Math.Max(RepackBlobBytes, 3 * repository.Config.ChunkMaxSize));
        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, plan.Repack.Max(p => p.Size)));
        foreach (var pack in plan.Repack)
        {
            var handle = PackHandle(pack.PackId);
            var size = await repository.Storage.StatAsync(handle, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
            if (size > buffer.Length)
            {
                buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, size));
            }

            var stored = buffer.AsMemory(0, (int)size);
            await repository.Storage.ReadAtAsync(handle, 0, stored, cancellationToken).ConfigureAwait(false);
            repository.Hash.CheckPack(handle, stored.Span);
            foreach (var e in pack.Used.OrderBy(e => e.Offset))
            {
                if ((long)e.Offset + e.Length > stored.Length)
                {
                    throw new CorruptObjectException(handle, $"blob {e.Id.ToShortString()} at offset {e.Offset} (+{e.Length}) lies beyond the pack's {stored.Length} bytes");
                }

                // a blob larger than the ring (a very large tree) gets an array of its own
                var lease = e.RawLength <= blobs.Capacity ? await blobs.TakeAsync((int)e.RawLength, cancellationToken).ConfigureAwait(false) : null;
                var data = lease?.Memory ?? new byte[e.RawLength];
                try
                {
                    var location = new BlobLocation(e.Id, e.Type, e.Flags, 0, e.Offset, e.Length, e.RawLength);
                    repository.Blobs.DecodeInPlace(stored.Span.Slice((int)e.Offset, (int)e.Length), location, handle, data.Span);
                }
                catch
                {
                    lease?.Dispose();
                    throw;
                }

                await writer.SaveAsync(e.Type, e.Id, data, lease, cancellationToken).ConfigureAwait(false);
            }

            options.Progress?.AddFile(pack.Size);
        }

        await writer.CompleteAsync().ConfigureAwait(false);
        var packs = new List<(ObjectId, List<PackEntry>)>();
        foreach (var index in writer.IndexFiles)
        {
            packs.AddRange((await repository.ReadIndexFileAsync(index, cancellationToken).ConfigureAwait(false)).Packs);
        }

        foreach (var (packId, _) in packs)
        {
            _result.BytesWritten += await repository.Storage.StatAsync(PackHandle(packId), cancellationToken).ConfigureAwait(false) ?? 0;
        }

        _result.PacksWritten = packs.Count;
        Log?.Invoke($"repacked {plan.Repack.Count} packs into {packs.Count} new packs");
        return ([.. writer.IndexFiles], packs);
    }
}
