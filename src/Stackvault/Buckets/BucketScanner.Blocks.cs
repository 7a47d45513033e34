using System.Collections.Concurrent;
using System.Text.Json;

namespace Stackvault.Buckets;

/// <summary>A block's state from its meta.json and files; overlaps of complete blocks per tenant.</summary>
public sealed partial class BucketScanner
{
    /// <summary>Larger meta.json files are not read (corrupt): real ones are a few KiB, with a file list well under a MiB.</summary>
    private const long MaxMetaBytes = 16L * 1024 * 1024;

    /// <summary>How much of the meta.json read from the bucket is kept for the backup (<see cref="Held"/>); beyond it, the backup reads them again.</summary>
    private const long MaxHeldBytes = 32L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, byte[]> _held = new(StringComparer.Ordinal);
    private long _heldBytes;

    /// <summary>
    /// The meta.json files the scan read from the bucket, by key, as read (up to <see cref="MaxHeldBytes"/> in all):
    /// a backup stores these bytes instead of downloading each object a second time.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Held => _held;

    private (string State, string? Problem, BlockMeta? Meta) Judge(BucketObject? meta, List<(BucketObject Object, KeyKind Kind)> files, ConcurrentDictionary<string, object> metas)
    {
        if (meta is null)
        {
            return (BlockState.Partial, "no meta.json", null);
        }

        if (metas[meta.Key] is string error)
        {
            return (BlockState.Corrupt, "meta.json unreadable: " + error, null);
        }

        var parsed = (BlockMeta)metas[meta.Key];
        var sizes = files.ToDictionary(f => f.Kind.File!, f => f.Object.Size, StringComparer.Ordinal);
        var problems = BlockCheck.Problems(parsed, sizes, options.Layout);
        return problems.Count == 0 ? (BlockState.Complete, null, parsed) : (BlockState.Corrupt, string.Join("; ", problems), parsed);
    }

    private async ValueTask<ConcurrentDictionary<string, object>> ReadMetasAsync(IEnumerable<BucketObject> metas, CancellationToken cancellationToken)
    {
        var result = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(metas, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (meta, ct) =>
        {
            if (meta.Size > MaxMetaBytes)
            {
                result[meta.Key] = $"{meta.Size} bytes, more than a meta.json ever holds ({MaxMetaBytes})";
                return;
            }

            try
            {
                if (parent is not null && await parent.ReadUnchangedAsync(meta, ct).ConfigureAwait(false) is { } known)
                {
                    result[meta.Key] = BlockMeta.Parse(known, options.Layout);
                    return;
                }

                var stream = await store.OpenReadAsync(meta.Key, ct).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
                    if (buffer.Length == meta.Size && Interlocked.Add(ref _heldBytes, buffer.Length) <= MaxHeldBytes)
                    {
                        _held[meta.Key] = buffer.ToArray();
                    }

                    result[meta.Key] = BlockMeta.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options.Layout);
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                result[meta.Key] = e.Message;
            }
        }).ConfigureAwait(false);
        return result;
    }

    private static List<BlockOverlap> Overlaps(List<BucketBlock> blocks)
    {
        var overlaps = new List<BlockOverlap>();
        foreach (var tenant in blocks.Where(b => b.State == BlockState.Complete && b.MinTime is not null && b.MaxTime is not null).GroupBy(b => b.Tenant))
        {
            var sorted = tenant.OrderBy(b => b.MinTime).ThenBy(b => b.Id, StringComparer.Ordinal).ToList();
            for (var i = 0; i < sorted.Count; i++)
            {
                for (var j = i + 1; j < sorted.Count && sorted[j].MinTime < sorted[i].MaxTime; j++)
                {
                    overlaps.Add(new BlockOverlap(tenant.Key, sorted[i].Id, sorted[j].Id, sorted[j].MinTime!.Value, Math.Min(sorted[i].MaxTime!.Value, sorted[j].MaxTime!.Value)));
                }
            }
        }

        return overlaps;
    }
}
