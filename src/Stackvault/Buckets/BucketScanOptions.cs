namespace Stackvault.Buckets;

/// <summary>
/// What a bucket backup or verify covers. <see cref="Keep"/> names what is left out by default and kept on request:
/// <c>marked</c> (blocks marked for deletion, with their markers), <c>partial</c> (blocks without meta.json),
/// <c>markers</c> (all markers), <c>index</c> (Mimir bucket-index.json.gz, Tempo tenant index), <c>cluster</c> (__mimir_cluster/).
/// </summary>
public sealed record BucketScanOptions
{
    public static readonly IReadOnlyList<string> KeepKinds = ["marked", "partial", "markers", "index", "cluster"];

    public required BucketLayout Layout { get; init; }

    /// <summary>Only these tenants (empty: all).</summary>
    public IReadOnlyList<string> Tenants { get; init; } = [];

    public IReadOnlyList<string> Keep { get; init; } = [];

    public BucketShard Shard { get; init; } = BucketShard.All;

    /// <summary>
    /// An empty bucket or prefix passes (generic layout): without it, a generic scan that lists nothing fails, since
    /// a backup of nothing proves nothing.
    /// </summary>
    public bool AllowEmpty { get; init; }

    /// <summary>
    /// Mimir's <c>/ingester/flush</c>, called with <c>wait=true</c> and awaited before a backup lists the bucket
    /// (<see cref="IngesterFlush"/>); verify does not call it.
    /// </summary>
    public string? FlushUrl { get; init; }

    /// <summary>meta.json files read in parallel.</summary>
    public int Concurrency { get; init; } = 8;

    public void Validate()
    {
        foreach (var kind in Keep.Where(k => !KeepKinds.Contains(k)))
        {
            throw new Errors.UsageException($"unknown --keep '{kind}': use {string.Join(", ", KeepKinds)}");
        }

        if (Tenants.Count > 0 && !Layout.HasTenants)
        {
            throw new Errors.UsageException($"the {Layout.Name} layout has no tenant prefixes: --tenant applies to {BucketLayout.Having(l => l.HasTenants)}");
        }

        if (FlushUrl is not null && !(Uri.TryCreate(FlushUrl, UriKind.Absolute, out var flush) && flush.Scheme is "http" or "https"))
        {
            throw new Errors.UsageException($"invalid flush URL '{FlushUrl}': an http(s) URL such as http://mimir:8080/ingester/flush");
        }

        if (FlushUrl is not null && !Layout.HasIngesters)
        {
            throw new Errors.UsageException($"a flush URL applies to the {BucketLayout.Having(l => l.HasIngesters)} layouts (ingesters), not {Layout.Name}");
        }

        if (Concurrency is < 1 or > 256)
        {
            throw new Errors.UsageException($"concurrency must be 1..256, not {Concurrency}");
        }
    }
}
