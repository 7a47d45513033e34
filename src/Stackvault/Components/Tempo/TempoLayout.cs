namespace Stackvault.Components.Tempo;

/// <summary>
/// A Tempo local-backend data directory, sorted into what a backup stores: its block roots (each
/// <c>&lt;root&gt;/&lt;tenant&gt;/&lt;block-uuid&gt;/</c>), their blocks by state, and every other entry (the WAL, seeds,
/// tenant indexes) stored as it is. The layouts operators run (docs/engines.md):
/// <list type="bullet">
/// <item>Helm chart and 2.x compose: data_dir <c>/var/tempo</c> with <c>traces/</c> (<c>storage.trace.local.path</c>) and <c>wal/</c>;</item>
/// <item>3.x compose: <c>blocks/</c> and <c>wal/</c>;</item>
/// <item>2.x ingester: <c>wal/blocks/</c>, completed blocks not yet flushed to the backend;</item>
/// <item>data_dir set to the local path itself: <c>&lt;tenant&gt;/&lt;block&gt;/</c> directly below it.</item>
/// </list>
/// A block is complete with <c>meta.json</c> (Tempo writes it last), compacted with <c>meta.compacted.json</c>, deleted
/// with <c>meta.deleted.json</c> (3.x tombstone, removed at startup), partial with none of them (being written, or abandoned).
/// </summary>
public sealed class TempoLayout
{
    public const string MetaFile = "meta.json";
    public const string CompactedMetaFile = "meta.compacted.json";
    public const string DeletedMetaFile = "meta.deleted.json";

    /// <summary>Block roots below data_dir, in the order they are looked for.</summary>
    public static readonly IReadOnlyList<string> BlockRoots = ["traces", "blocks", "wal/blocks"];

    /// <summary>What a recognised data_dir holds, for messages.</summary>
    public const string Expected = "Tempo's local storage: traces/<tenant>/<block>/ and wal/ (Helm chart, /var/tempo), blocks/<tenant>/<block>/ (3.x), or <tenant>/<block>/ directly";

    private TempoLayout(IReadOnlyList<string> roots, IReadOnlyList<TempoBlock> blocks, IReadOnlyList<string> others, int tenants)
    {
        Roots = roots;
        Blocks = blocks;
        Others = others;
        Tenants = tenants;
    }

    /// <summary>The block roots found, relative to data_dir (empty string: data_dir itself).</summary>
    public IReadOnlyList<string> Roots { get; }

    public IReadOnlyList<TempoBlock> Blocks { get; }

    /// <summary>Entries stored as they are, relative to data_dir ('/'-separated).</summary>
    public IReadOnlyList<string> Others { get; }

    /// <summary>Tenant directories under the block roots.</summary>
    public int Tenants { get; }

    public int Count(TempoBlockState state) => Blocks.Count(b => b.State == state);

    public static TempoLayout Scan(string dataDir, CancellationToken cancellationToken)
    {
        // wal/blocks is a root only when it holds blocks (it also holds the WAL's own <id>+<tenant>+<format> blocks in some setups).
        var roots = BlockRoots.Where(r => Directory.Exists(Path.Combine(dataDir, r))
            && (r != "wal/blocks" || Directory.EnumerateDirectories(Path.Combine(dataDir, r)).Any(HoldsBlocks))).ToList();
        if (roots.Count == 0 && Directory.Exists(dataDir) && Directory.EnumerateDirectories(dataDir).Any(HoldsBlocks))
        {
            roots.Add(string.Empty);
        }

        var blocks = new List<TempoBlock>();
        var others = new List<string>();
        var tenants = 0;
        Walk(string.Empty);
        return new TempoLayout(roots, blocks, others, tenants);

        void Walk(string relative)
        {
            var directory = relative.Length == 0 ? dataDir : Path.Combine(dataDir, relative);
            foreach (var entry in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = relative.Length == 0 ? Path.GetFileName(entry) : relative + "/" + Path.GetFileName(entry);
                var isDirectory = Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null;
                if (!isDirectory)
                {
                    others.Add(path);
                }
                else if (roots.Contains(string.Empty) && relative.Length == 0 && HoldsBlocks(entry))
                {
                    Tenant(path, entry);
                }
                else if (roots.Contains(path))
                {
                    foreach (var tenant in Directory.EnumerateFileSystemEntries(entry).Order(StringComparer.Ordinal))
                    {
                        var tenantPath = path + "/" + Path.GetFileName(tenant);
                        if (Directory.Exists(tenant))
                        {
                            Tenant(tenantPath, tenant);
                        }
                        else
                        {
                            others.Add(tenantPath);
                        }
                    }
                }
                else if (roots.Any(r => r.StartsWith(path + "/", StringComparison.Ordinal)))
                {
                    Walk(path);
                }
                else
                {
                    others.Add(path);
                }
            }
        }

        void Tenant(string tenantPath, string tenant)
        {
            tenants++;
            foreach (var entry in Directory.EnumerateFileSystemEntries(tenant).Order(StringComparer.Ordinal))
            {
                var path = tenantPath + "/" + Path.GetFileName(entry);
                if (!Directory.Exists(entry))
                {
                    others.Add(path); // the tenant index (index.json.gz, index.pb.zst)
                    continue;
                }

                var state = File.Exists(Path.Combine(entry, MetaFile)) ? TempoBlockState.Complete
                    : File.Exists(Path.Combine(entry, DeletedMetaFile)) ? TempoBlockState.Deleted
                    : File.Exists(Path.Combine(entry, CompactedMetaFile)) ? TempoBlockState.Compacted
                    : TempoBlockState.Partial;
                blocks.Add(new TempoBlock(Path.GetFileName(tenant), path, state));
            }
        }
    }

    /// <summary>A tenant directory: it holds a directory named like a block (a UUID).</summary>
    private static bool HoldsBlocks(string tenant) =>
        Directory.EnumerateDirectories(tenant).Any(d => Guid.TryParse(Path.GetFileName(d), out _));
}

/// <summary>A block directory: its tenant, its path relative to data_dir, and its state.</summary>
public sealed record TempoBlock(string Tenant, string Relative, TempoBlockState State);

public enum TempoBlockState
{
    Complete,
    Compacted,
    Deleted,
    Partial,
}
