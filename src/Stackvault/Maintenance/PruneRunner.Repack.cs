using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>
    /// Copies the used blobs of the packs to repack into new packs (each blob decoded and its id recomputed on
    /// the way). The writer saves packs and then index files naming them, so a crash here leaves the old index
    /// intact and at worst duplicate or orphan copies. Returns the writer's index files and the packs they list.
    /// </summary>
    private async ValueTask<(List<ObjectHandle> IndexFiles, List<(ObjectId PackId, List<PackEntry> Blobs)> Packs)> RepackAsync(PrunePlan plan, CancellationToken cancellationToken)
    {
        options.Progress?.SetTotals(plan.Repack.Count, plan.Repack.Sum(p => p.Size));
        if (plan.Repack.Count == 0)
        {
            return ([], []);
        }

        await using var writer = new BlobWriter(repository, CheckLock, 0, dedupAgainstIndex: false);
        foreach (var pack in plan.Repack)
        {
            var handle = PackHandle(pack.PackId);
            var stored = await repository.Storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
            ObjectNames.Check(handle, stored);
            foreach (var e in pack.Used.OrderBy(e => e.Offset))
            {
                if ((long)e.Offset + e.Length > stored.Length)
                {
                    throw new CorruptObjectException(handle, $"blob {e.Id.ToShortString()} at offset {e.Offset} (+{e.Length}) lies beyond the pack's {stored.Length} bytes");
                }

                var data = new byte[e.RawLength];
                var location = new BlobLocation(e.Id, e.Type, e.Flags, 0, e.Offset, e.Length, e.RawLength);
                repository.Blobs.Decode(stored.AsSpan((int)e.Offset, (int)e.Length), location, handle, data);
                await writer.SaveAsync(e.Type, e.Id, data, null, cancellationToken).ConfigureAwait(false);
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
