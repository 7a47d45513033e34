using Stackvault.Export;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

public sealed partial class BucketRestorer
{
    private async ValueTask<List<Unit>> SelectAsync(string layout, List<(string Key, Node Node)> files, BucketRestoreOptions options, CancellationToken cancellationToken)
    {
        var units = new List<Unit>();
        var blocks = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var (key, node) in files)
        {
            var kind = BucketLayout.Classify(layout, key);
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

        if (options.MinTime is not null || options.MaxTime is not null)
        {
            foreach (var unit in blocks.Values)
            {
                var meta = unit.Files.FirstOrDefault(f => BucketLayout.Classify(layout, f.Key).Role == KeyRole.Meta);
                if (meta.Node is null)
                {
                    unit.Files.Clear(); // no time range known: a partial block cannot be placed in time
                    continue;
                }

                var parsed = BlockMeta.Parse(await ReadAllAsync(meta.Node, cancellationToken).ConfigureAwait(false), layout);
                if ((options.MaxTime is { } max && parsed.MinTime > max) || (options.MinTime is { } min && parsed.MaxTime < min))
                {
                    unit.Files.Clear();
                }
            }
        }

        foreach (var unit in blocks.Values)
        {
            // meta.json last: a block becomes visible to engines only once all its files are there
            unit.Files.Sort((a, b) => (BucketLayout.Classify(layout, a.Key).Role == KeyRole.Meta).CompareTo(BucketLayout.Classify(layout, b.Key).Role == KeyRole.Meta));
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

    private BlobContentStream ContentOf(Node node) =>
        new(repository, (node.Content ?? []).Select(hex => repository.Locate(ObjectId.Parse(hex), BlobType.Data)).ToList());

    private async ValueTask<byte[]> ReadAllAsync(Node node, CancellationToken cancellationToken)
    {
        await using var content = ContentOf(node);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
