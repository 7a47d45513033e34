using System.Text.RegularExpressions;

namespace Stackvault.Buckets;

/// <summary>
/// What each key of a bucket is, by layout. TSDB layouts: <c>mimir</c>/<c>cortex</c> keep blocks at
/// <c>&lt;tenant&gt;/&lt;ULID&gt;/</c> with markers at <c>&lt;tenant&gt;/markers/</c> and a bucket index at
/// <c>&lt;tenant&gt;/bucket-index.json.gz</c>; <c>thanos</c> keeps blocks at <c>&lt;ULID&gt;/</c>. <c>tempo</c>
/// keeps blocks at <c>&lt;tenant&gt;/&lt;UUID&gt;/</c> and a tenant index at <c>&lt;tenant&gt;/index.json.gz</c>.
/// <c>loki</c> has no blocks: <c>index/</c>, tenant chunk prefixes, <c>rules/</c>, <c>loki_cluster_seed.json</c>.
/// <c>generic</c> has neither blocks nor tenants: every object is kept as it is (for example the platform's
/// <c>backup</c> bucket of gzipped pg dumps); an empty bucket or prefix is an error unless allowed.
/// </summary>
public static partial class BucketLayout
{
    public static readonly IReadOnlyList<string> Names = ["mimir", "thanos", "cortex", "loki", "tempo", "generic"];

    public static bool IsTsdb(string layout) => layout is "mimir" or "thanos" or "cortex";

    public static bool HasBlocks(string layout) => layout is not ("loki" or Generic);

    /// <summary>The layout without block rules or tenants: every object is kept.</summary>
    public const string Generic = "generic";

    /// <summary>Layouts whose tenants' newest samples sit in ingesters until they cut a block (about two hours).</summary>
    public static bool HasIngesters(string layout) => layout is "mimir" or "cortex";

    /// <summary>Layouts without tenant prefixes (<c>--tenant</c> does not apply).</summary>
    public static bool HasTenants(string layout) => layout is not ("thanos" or Generic);

    public static string Validate(string? layout) =>
        layout is not null && Names.Contains(layout)
            ? layout
            : throw new Errors.UsageException($"unknown bucket layout '{layout}': use one of {string.Join(", ", Names)}");

    /// <summary>Classifies one key.</summary>
    public static KeyKind Classify(string layout, string key)
    {
        var parts = key.Split('/');
        switch (layout)
        {
            case "thanos":
                return parts.Length >= 2 && Ulid().IsMatch(parts[0])
                    ? BlockFile(string.Empty, parts[0], string.Join('/', parts[1..]))
                    : new KeyKind(KeyRole.Other, string.Empty, null, null);
            case "mimir" or "cortex":
                if (parts[0] == "__mimir_cluster")
                {
                    return new KeyKind(KeyRole.ClusterId, string.Empty, null, null);
                }

                if (parts.Length == 2 && parts[1] is "bucket-index.json.gz" or "bucket-index.json")
                {
                    return new KeyKind(KeyRole.Index, parts[0], null, null);
                }

                if (parts.Length == 3 && parts[1] == "markers")
                {
                    var marked = MarkerFor().Match(parts[2]);
                    return new KeyKind(KeyRole.Marker, parts[0], marked.Success ? marked.Groups[1].Value : null, marked.Success ? marked.Groups[2].Value : null);
                }

                return parts.Length >= 3 && Ulid().IsMatch(parts[1])
                    ? BlockFile(parts[0], parts[1], string.Join('/', parts[2..]))
                    : new KeyKind(KeyRole.Other, parts.Length > 1 ? parts[0] : string.Empty, null, null);
            case "tempo":
                if (parts.Length == 2 && parts[1] is "index.json.gz" or "index.json.zst" or "index.json")
                {
                    return new KeyKind(KeyRole.Index, parts[0], null, null);
                }

                return parts.Length >= 3 && Uuid().IsMatch(parts[1])
                    ? BlockFile(parts[0], parts[1], string.Join('/', parts[2..]))
                    : new KeyKind(KeyRole.Other, parts.Length > 1 ? parts[0] : string.Empty, null, null);
            case Generic:
                return new KeyKind(KeyRole.Other, string.Empty, null, null);
            default:
                return LokiKind(parts);
        }
    }

    private static KeyKind LokiKind(string[] parts)
    {
        if (parts.Length == 1)
        {
            return new KeyKind(KeyRole.Other, string.Empty, null, null); // loki_cluster_seed.json: part of the cluster's identity, kept
        }

        return parts[0] switch
        {
            // index/<table>/<tenant>/<file> (TSDB per tenant) or index/<table>/<file> (shared boltdb files)
            "index" => new KeyKind(KeyRole.Other, parts.Length >= 4 ? parts[2] : string.Empty, null, null),
            "rules" or "deletion" or "compactor" => new KeyKind(KeyRole.Other, parts.Length >= 3 ? parts[1] : string.Empty, null, null),
            _ => new KeyKind(KeyRole.Other, parts[0], null, null), // <tenant>/... chunks
        };
    }

    private static KeyKind BlockFile(string tenant, string block, string file) => file switch
    {
        "meta.json" => new KeyKind(KeyRole.Meta, tenant, block, file),
        "deletion-mark.json" or "meta.compacted.json" => new KeyKind(KeyRole.Marker, tenant, block, "deletion-mark.json"),
        _ when file.EndsWith("-mark.json", StringComparison.Ordinal) && !file.Contains('/', StringComparison.Ordinal) => new KeyKind(KeyRole.Marker, tenant, block, file), // no-compact-mark.json, no-downsample-mark.json
        _ => new KeyKind(KeyRole.BlockFile, tenant, block, file),
    };

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{26}$")]
    private static partial Regex Ulid();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^([0-9A-HJKMNP-TV-Z]{26})-([a-z-]+-mark\\.json)$")]
    private static partial Regex MarkerFor();
}
