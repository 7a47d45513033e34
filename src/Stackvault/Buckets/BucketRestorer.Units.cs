using Stackvault.Export;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

public sealed partial class BucketRestorer
{
    /// <summary>
    /// Groups the snapshot's objects into units, applies the tenant and time filters, and checks each block against
    /// its meta.json as the backup's scan did (<see cref="BlockCheck"/>): corrupt blocks are left out (named in
    /// <paramref name="corrupt"/>) unless <see cref="BucketRestoreOptions.IncludeCorrupt"/>, and then their meta.json
    /// is withheld (named in <paramref name="withheld"/>) when a file it lists is missing.
    /// </summary>
    private async ValueTask<List<Unit>> SelectAsync(BucketLayout layout, List<(string Key, Node Node)> files, BucketRestoreOptions options, List<string> corrupt, List<string> withheld, CancellationToken cancellationToken)
    {
        var units = new List<Unit>();
        var blocks = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var (key, node) in files)
        {
            var kind = layout.Classify(key);
            if (options.Tenants.Count > 0 && kind.Tenant.Length > 0 && !options.Tenants.Contains(kind.Tenant))
            {
                continue;
            }

            if (kind.Block is null)
            {
                units.Add(new Unit(null, [(key, node)]));
                continue;
            }

            var id = kind.Tenant + "/" + kind.Block;
            if (!blocks.TryGetValue(id, out var unit))
            {
                blocks[id] = unit = new Unit(id, []);
                units.Add(unit);
            }

            unit.Files.Add((key, node));
        }

        // Every block's meta.json is read before the checks, several at once: from an S3 or Azure repository each
        // is a ranged read with the store's latency, which a Mimir bucket of thousands of blocks would otherwise pay
        // one after the other before the first upload.
        var metas = new Dictionary<Unit, (string Key, Node Node)>();
        foreach (var unit in blocks.Values)
        {
            var meta = unit.Files.FirstOrDefault(f => layout.Classify(f.Key).Role == KeyRole.Meta);
            if (meta.Node is not null)
            {
                metas[unit] = meta;
            }
        }

        var contents = new System.Collections.Concurrent.ConcurrentDictionary<Unit, byte[]>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(metas, parallel, async (entry, ct) => contents[entry.Key] = await ReadAllAsync(entry.Value.Node, ct).ConfigureAwait(false)).ConfigureAwait(false);

        foreach (var unit in blocks.Values)
        {
            if (!metas.TryGetValue(unit, out var meta))
            {
                if (options.MinTime is not null || options.MaxTime is not null)
                {
                    unit.Files.Clear(); // no time range known: a partial block cannot be placed in time
                }

                continue; // a partial block (kept with --keep partial at backup): no meta.json, so engines ignore it
            }

            BlockMeta parsed;
            try
            {
                parsed = BlockMeta.Parse(contents[unit], layout);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
            {
                Corrupt(unit, meta, "meta.json unreadable: " + e.Message, metaAllowed: false);
                continue;
            }

            if ((options.MaxTime is { } max && parsed.MinTime > max) || (options.MinTime is { } min && parsed.MaxTime < min))
            {
                unit.Files.Clear();
                continue;
            }

            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (key, node) in unit.Files)
            {
                if (layout.Classify(key) is { Role: KeyRole.BlockFile, File: { } file })
                {
                    sizes[file] = node.Size;
                }
            }

            var problems = BlockCheck.Problems(parsed, sizes, layout);
            if (problems.Count > 0)
            {
                Corrupt(unit, meta, string.Join("; ", problems), BlockCheck.AllListedPresent(parsed, sizes, layout));
            }
        }

        void Corrupt(Unit unit, (string Key, Node Node) meta, string problem, bool metaAllowed)
        {
            // A block that was corrupt at backup is restored only with --include-corrupt, and never as a meta.json
            // without the files it lists: engines would take it for a complete block.
            if (!options.IncludeCorrupt)
            {
                corrupt.Add($"{unit.Block} ({problem})");
                unit.Files.Clear();
            }
            else if (!metaAllowed)
            {
                withheld.Add($"{unit.Block} ({problem})");
                unit.Files.Remove(meta);
            }
        }

        foreach (var unit in blocks.Values)
        {
            // meta.json last: a block becomes visible to engines only once all its files are there
            unit.Files.Sort((a, b) => (layout.Classify(a.Key).Role == KeyRole.Meta).CompareTo(layout.Classify(b.Key).Role == KeyRole.Meta));
        }

        return units.Where(u => u.Files.Count > 0).ToList();
    }

    private async ValueTask<(List<Unit> Todo, int Skipped, List<string> Conflicts)> DecideAsync(List<Unit> units, Dictionary<string, BucketObject> existing, IBucketStore target, CancellationToken cancellationToken)
    {
        var todo = new List<Unit>();
        var skipped = 0;
        var conflicts = new List<string>();
        foreach (var unit in units)
        {
            var files = new List<(string Key, Node Node)>();
            foreach (var (key, node) in unit.Files)
            {
                if (!existing.TryGetValue(key, out var present))
                {
                    files.Add((key, node));
                    continue;
                }

                if (present.Size == node.Size && ((present.Etag is not null && present.Etag == node.Etag)
                    || await target.SameContentAsync(present, _ => ValueTask.FromResult<Stream>(ContentOf(node)), cancellationToken).ConfigureAwait(false)))
                {
                    skipped++;
                    continue;
                }

                conflicts.Add(key);
                files.Add((key, node));
            }

            todo.Add(unit with { Files = files });
        }

        return (todo, skipped, conflicts);
    }

    private BlobContentStream ContentOf(Node node) => BlobContentStream.Of(repository, node);

    private async ValueTask<byte[]> ReadAllAsync(Node node, CancellationToken cancellationToken)
    {
        await using var content = ContentOf(node);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
