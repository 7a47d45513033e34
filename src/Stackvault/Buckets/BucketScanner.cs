using System.Collections.Concurrent;
using System.Text.Json;

namespace Stackvault.Buckets;

/// <summary>
/// Lists a bucket, reads every block's meta.json, and decides each block's state and which objects a backup takes
/// (see <see cref="BucketScanOptions"/> for what is left out by default).
/// </summary>
public sealed class BucketScanner(IBucketStore store, BucketScanOptions options)
{
    public async ValueTask<BucketReport> ScanAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var objects = new List<(BucketObject Object, KeyKind Kind)>();
        var listed = 0;
        await foreach (var item in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            listed++;
            var kind = BucketLayout.Classify(options.Layout, item.Key);
            if (options.Tenants.Count == 0 || kind.Tenant.Length == 0 || options.Tenants.Contains(kind.Tenant))
            {
                objects.Add((item, kind));
            }
        }

        var blocks = objects.Where(o => o.Kind.Block is not null).GroupBy(o => (o.Kind.Tenant, Block: o.Kind.Block!)).ToList();
        var metas = await ReadMetasAsync(blocks.Select(g => g.FirstOrDefault(o => o.Kind.Role == KeyRole.Meta).Object).OfType<BucketObject>(), cancellationToken).ConfigureAwait(false);
        var keep = options.Keep.ToHashSet(StringComparer.Ordinal);
        var leftOut = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var selected = new List<BucketObject>();
        var report = new List<BucketBlock>();
        var selectedBlocks = new HashSet<(string, string)>();
        foreach (var group in blocks.Where(g => g.Any(o => o.Kind.Role is KeyRole.Meta or KeyRole.BlockFile)))
        {
            if (!options.Shard.Contains(group.Key.Tenant + "/" + group.Key.Block))
            {
                continue;
            }

            var files = group.Where(o => o.Kind.Role is KeyRole.Meta or KeyRole.BlockFile).ToList();
            var meta = files.FirstOrDefault(o => o.Kind.Role == KeyRole.Meta).Object;
            var marked = group.Any(o => o.Kind.Role == KeyRole.Marker && o.Kind.File == "deletion-mark.json");
            var (state, problem, parsed) = Judge(meta, files, metas);
            state = marked ? BlockState.Marked : state;
            var take = state switch
            {
                BlockState.Marked => keep.Contains("marked"),
                BlockState.Partial => keep.Contains("partial"),
                _ => true,
            };
            if (take)
            {
                selected.AddRange(files.Select(f => f.Object));
                selectedBlocks.Add(group.Key);
            }
            else
            {
                Count(leftOut, state + "_blocks");
            }

            report.Add(new BucketBlock(group.Key.Tenant, group.Key.Block, state, parsed?.MinTime, parsed?.MaxTime, files.Count, files.Sum(f => f.Object.Size), problem, take));
        }

        foreach (var (item, kind) in objects.Where(o => o.Kind.Role is not (KeyRole.Meta or KeyRole.BlockFile)))
        {
            var unit = kind.Block is not null ? kind.Tenant + "/" + kind.Block : item.Key;
            if (!options.Shard.Contains(unit))
            {
                continue;
            }

            var reason = kind.Role switch
            {
                KeyRole.Marker when keep.Contains("markers") || (kind.Block is not null && selectedBlocks.Contains((kind.Tenant, kind.Block))) => null,
                KeyRole.Marker => "markers",
                KeyRole.Index => keep.Contains("index") ? null : "index",
                KeyRole.ClusterId => keep.Contains("cluster") ? null : "cluster",
                _ => null,
            };
            if (reason is null)
            {
                selected.Add(item);
            }
            else
            {
                Count(leftOut, reason);
            }
        }

        selected.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        report.Sort((a, b) => (string.CompareOrdinal(a.Tenant, b.Tenant), string.CompareOrdinal(a.Id, b.Id)) switch { (0, var c) => c, (var c, _) => c });
        return new BucketReport(store.Location, options.Layout, options.Shard, report, Overlaps(report), selected, leftOut, listed);
    }

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
        var problems = new List<string>();
        foreach (var (path, size) in parsed.Files.Where(f => f.Path != "meta.json"))
        {
            if (!sizes.TryGetValue(path, out var actual))
            {
                problems.Add($"{path} missing");
            }
            else if (size is { } expected && expected != actual)
            {
                problems.Add($"{path} is {actual} bytes, meta.json says {expected}");
            }
        }

        if (parsed.Files.Count == 0 && BucketLayout.IsTsdb(options.Layout) && !sizes.ContainsKey("index"))
        {
            problems.Add("index missing");
        }

        return problems.Count == 0 ? (BlockState.Complete, null, parsed) : (BlockState.Corrupt, string.Join("; ", problems), parsed);
    }

    private async ValueTask<ConcurrentDictionary<string, object>> ReadMetasAsync(IEnumerable<BucketObject> metas, CancellationToken cancellationToken)
    {
        var result = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(metas, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (meta, ct) =>
        {
            try
            {
                var stream = await store.OpenReadAsync(meta.Key, ct).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    using var buffer = new MemoryStream();
                    await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
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

    private static void Count(SortedDictionary<string, int> counts, string reason) =>
        counts[reason] = counts.GetValueOrDefault(reason) + 1;
}
