namespace Stackvault.Buckets;

/// <summary><c>mimir</c> and <c>cortex</c>: TSDB blocks per tenant, markers, a bucket index, ingesters, <c>__mimir_cluster/</c>.</summary>
internal sealed class TenantTsdbLayout(string name) : BucketLayout(name)
{
    public override bool IsTsdb => true;

    public override bool HasIngesters => true;

    public override KeyKind Classify(string key)
    {
        var parts = key.Split('/');
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
            : Other(parts.Length > 1 ? parts[0] : string.Empty);
    }
}

/// <summary><c>thanos</c>: TSDB blocks at the top of the bucket, no tenants.</summary>
internal sealed class ThanosLayout() : BucketLayout("thanos")
{
    public override bool IsTsdb => true;

    public override bool HasTenants => false;

    public override KeyKind Classify(string key)
    {
        var parts = key.Split('/');
        return parts.Length >= 2 && Ulid().IsMatch(parts[0]) ? BlockFile(string.Empty, parts[0], string.Join('/', parts[1..])) : Other(string.Empty);
    }
}

/// <summary><c>tempo</c>: blocks at <c>&lt;tenant&gt;/&lt;UUID&gt;/</c>, a tenant index.</summary>
internal sealed class TempoBucketLayout() : BucketLayout("tempo")
{
    public override KeyKind Classify(string key)
    {
        var parts = key.Split('/');
        if (parts.Length == 2 && parts[1] is "index.json.gz" or "index.json.zst" or "index.json")
        {
            return new KeyKind(KeyRole.Index, parts[0], null, null);
        }

        return parts.Length >= 3 && Uuid().IsMatch(parts[1])
            ? BlockFile(parts[0], parts[1], string.Join('/', parts[2..]))
            : Other(parts.Length > 1 ? parts[0] : string.Empty);
    }
}

/// <summary><c>loki</c>: no blocks; the index, tenant chunk prefixes, rules, the cluster seed.</summary>
internal sealed class LokiBucketLayout() : BucketLayout("loki")
{
    public override bool HasBlocks => false;

    public override KeyKind Classify(string key)
    {
        var parts = key.Split('/');
        if (parts.Length == 1)
        {
            return Other(string.Empty); // loki_cluster_seed.json: part of the cluster's identity, kept
        }

        return parts[0] switch
        {
            // index/<table>/<tenant>/<file> (TSDB per tenant) or index/<table>/<file> (shared boltdb files)
            "index" => Other(parts.Length >= 4 ? parts[2] : string.Empty),
            "rules" or "deletion" or "compactor" => Other(parts.Length >= 3 ? parts[1] : string.Empty),
            _ => Other(parts[0]), // <tenant>/... chunks
        };
    }
}

/// <summary><c>generic</c>: every object kept as it is; no blocks, no tenants.</summary>
internal sealed class GenericLayout() : BucketLayout("generic")
{
    public override bool HasBlocks => false;

    public override bool HasTenants => false;

    public override KeyKind Classify(string key) => Other(string.Empty);
}
