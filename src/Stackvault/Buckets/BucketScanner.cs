namespace Stackvault.Buckets;

/// <summary>
/// Lists a bucket, reads every block's meta.json (from <paramref name="parent"/>'s snapshot when unchanged since, else
/// from the bucket), and decides each block's state and which objects a backup takes (see
/// <see cref="BucketScanOptions"/> for what is left out by default).
/// </summary>
public sealed partial class BucketScanner(IBucketStore store, BucketScanOptions options, ParentObjects? parent = null)
{
    public async ValueTask<BucketReport> ScanAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var objects = new List<(BucketObject Object, KeyKind Kind)>();
        var listed = 0;
        await foreach (var item in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            listed++;
            var kind = options.Layout.Classify(item.Key);
            if (options.Tenants.Count == 0 || kind.Tenant.Length == 0 || options.Tenants.Contains(kind.Tenant))
            {
                objects.Add((item, kind));
            }
        }

        if (listed == 0 && options.Layout == BucketLayout.Generic && !options.AllowEmpty)
        {
            throw new Errors.StackvaultException($"{store.Location} holds no objects: nothing to back up or verify (a {options.Layout.Name} bucket must not be empty; pass --allow-empty if that is expected)");
        }

        var blocks = objects.Where(o => o.Kind.Block is not null).GroupBy(o => (o.Kind.Tenant, Block: o.Kind.Block!)).ToList();
        var keep = options.Keep.ToHashSet(StringComparer.Ordinal);
        // a block marked for deletion and left out is not read: its meta.json would only give the report its times
        var metas = await ReadMetasAsync(blocks.Where(g => keep.Contains("marked") || !IsMarked(g)).Select(g => g.FirstOrDefault(o => o.Kind.Role == KeyRole.Meta).Object).OfType<BucketObject>(), cancellationToken).ConfigureAwait(false);
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
            var marked = IsMarked(group);
            var (state, problem, parsed) = marked && !keep.Contains("marked") ? (BlockState.Marked, null, null) : Judge(meta, files, metas);
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
                // Markers (both the global <tenant>/markers/ copies and the block-local ones such as no-compact-mark.json)
                // stay together and are left out unless --keep markers; only a deletion mark follows a block kept with
                // --keep marked, so that the block is restored as marked, never resurrected.
                KeyRole.Marker when keep.Contains("markers") => null,
                KeyRole.Marker when kind.File == "deletion-mark.json" && kind.Block is not null && selectedBlocks.Contains((kind.Tenant, kind.Block)) => null,
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

    private static bool IsMarked(IEnumerable<(BucketObject Object, KeyKind Kind)> block) =>
        block.Any(o => o.Kind.Role == KeyRole.Marker && o.Kind.File == "deletion-mark.json");

    private static void Count(SortedDictionary<string, int> counts, string reason) =>
        counts[reason] = counts.GetValueOrDefault(reason) + 1;
}
