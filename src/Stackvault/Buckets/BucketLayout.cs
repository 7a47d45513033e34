using System.Text.RegularExpressions;

namespace Stackvault.Buckets;

/// <summary>
/// A bucket layout: what each key of the bucket is (<see cref="Classify"/>) and which rules apply (blocks, tenants,
/// ingesters). One instance per layout, registered in <see cref="All"/> (the layouts themselves are in
/// <c>BucketLayouts.cs</c>); <see cref="Name"/> is the <c>--layout</c>/<c>layout:</c> value, recorded in the section's
/// method (<c>bucket-&lt;name&gt;</c>) and in reports. TSDB layouts: <c>mimir</c>/<c>cortex</c> keep blocks at
/// <c>&lt;tenant&gt;/&lt;ULID&gt;/</c> with markers at <c>&lt;tenant&gt;/markers/</c> and a bucket index at
/// <c>&lt;tenant&gt;/bucket-index.json.gz</c>; <c>thanos</c> keeps blocks at <c>&lt;ULID&gt;/</c>. <c>tempo</c>
/// keeps blocks at <c>&lt;tenant&gt;/&lt;UUID&gt;/</c> and a tenant index at <c>&lt;tenant&gt;/index.json.gz</c>.
/// <c>loki</c> has no blocks: <c>index/</c>, tenant chunk prefixes, <c>rules/</c>, <c>loki_cluster_seed.json</c>.
/// <c>generic</c> has neither blocks nor tenants: every object is kept as it is (for example the platform's
/// <c>backup</c> bucket of gzipped pg dumps); an empty bucket or prefix is an error unless allowed.
/// </summary>
public abstract partial class BucketLayout(string name)
{
    public static BucketLayout Mimir { get; } = new TenantTsdbLayout("mimir");

    public static BucketLayout Thanos { get; } = new ThanosLayout();

    public static BucketLayout Cortex { get; } = new TenantTsdbLayout("cortex");

    public static BucketLayout Loki { get; } = new LokiBucketLayout();

    public static BucketLayout Tempo { get; } = new TempoBucketLayout();

    /// <summary>The layout without block rules or tenants: every object is kept.</summary>
    public static BucketLayout Generic { get; } = new GenericLayout();

    /// <summary>Every layout, in the order messages list them.</summary>
    public static IReadOnlyList<BucketLayout> All { get; } = [Mimir, Thanos, Cortex, Loki, Tempo, Generic];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(l => l.Name)];

    /// <summary>The <c>--layout</c> value, as recorded in snapshots and reports.</summary>
    public string Name { get; } = name;

    /// <summary>Prometheus TSDB blocks (a meta.json without a file list needs an <c>index</c>).</summary>
    public virtual bool IsTsdb => false;

    /// <summary>Keys group into blocks with a meta.json (block rules apply).</summary>
    public virtual bool HasBlocks => true;

    /// <summary>Its tenants' newest samples sit in ingesters until they cut a block (about two hours).</summary>
    public virtual bool HasIngesters => false;

    /// <summary>Keys start with a tenant prefix (<c>--tenant</c> applies).</summary>
    public virtual bool HasTenants => true;

    /// <summary>The layout named <paramref name="name"/>, or null.</summary>
    public static BucketLayout? Find(string? name) => All.FirstOrDefault(l => l.Name == name);

    /// <summary>The layout named <paramref name="name"/>; an unknown name is a usage error naming the layouts.</summary>
    public static BucketLayout Parse(string? name) =>
        Find(name) ?? throw new Errors.UsageException($"unknown bucket layout '{name}': use one of {string.Join(", ", Names)}");

    /// <summary>The names of the layouts that have <paramref name="property"/>, for messages: <c>mimir, cortex, loki and tempo</c>.</summary>
    public static string Having(Func<BucketLayout, bool> property)
    {
        var names = All.Where(property).Select(l => l.Name).ToList();
        return names.Count < 2 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }

    /// <summary>What the key is in this layout: its role, tenant, block and file in the block.</summary>
    public abstract KeyKind Classify(string key);

    public override string ToString() => Name;

    /// <summary>A key that is neither block, marker nor index, under <paramref name="tenant"/> (empty: none).</summary>
    protected static KeyKind Other(string tenant) => new(KeyRole.Other, tenant, null, null);

    protected static KeyKind BlockFile(string tenant, string block, string file) => file switch
    {
        "meta.json" => new KeyKind(KeyRole.Meta, tenant, block, file),
        "deletion-mark.json" or "meta.compacted.json" => new KeyKind(KeyRole.Marker, tenant, block, "deletion-mark.json"),
        _ when file.EndsWith("-mark.json", StringComparison.Ordinal) && !file.Contains('/', StringComparison.Ordinal) => new KeyKind(KeyRole.Marker, tenant, block, file), // no-compact-mark.json, no-downsample-mark.json
        _ => new KeyKind(KeyRole.BlockFile, tenant, block, file),
    };

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{26}$")]
    protected static partial Regex Ulid();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    protected static partial Regex Uuid();

    [GeneratedRegex("^([0-9A-HJKMNP-TV-Z]{26})-([a-z-]+-mark\\.json)$")]
    protected static partial Regex MarkerFor();
}
