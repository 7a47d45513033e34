using System.Globalization;

namespace Stackvault.Buckets;

/// <summary>
/// How far a Mimir/Cortex bucket lags behind now: blocks reach the bucket only after ingesters cut them (about every
/// two hours), so a backup misses the newest samples. The newest selected block's max time, per tenant and overall,
/// and the gap to the time of the scan; plus the ingester flush asked for first, if any, and how it went.
/// </summary>
public sealed record BucketFreshness(long? NewestMaxTime, IReadOnlyDictionary<string, long> NewestPerTenant, long? GapSeconds, string? FlushUrl, string? FlushError)
{
    public const string NewestKey = "newest_max_time_ms";
    public const string GapKey = "unflushed_gap_seconds";
    public const string FlushKey = "ingester_flush";

    public static BucketFreshness Of(BucketReport report, DateTimeOffset now, string? flushUrl, string? flushError)
    {
        ArgumentNullException.ThrowIfNull(report);
        var perTenant = report.Blocks.Where(b => b.Selected && b.MaxTime is not null)
            .GroupBy(b => b.Tenant)
            .ToDictionary(g => g.Key, g => g.Max(b => b.MaxTime!.Value), StringComparer.Ordinal);
        long? newest = perTenant.Count == 0 ? null : perTenant.Values.Max();
        long? gap = newest is { } ms ? Math.Max(0, (now.ToUnixTimeMilliseconds() - ms) / 1000) : null;
        return new BucketFreshness(newest, new SortedDictionary<string, long>(perTenant, StringComparer.Ordinal), gap, flushUrl, flushError);
    }

    /// <summary>Named counts for the component section: the newest max time (overall and <c>.&lt;tenant&gt;</c>), the gap, the flush (1 answered, 0 failed).</summary>
    public void AddTo(IDictionary<string, long> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (NewestMaxTime is { } newest)
        {
            checks[NewestKey] = newest;
            checks[GapKey] = GapSeconds ?? 0;
        }

        foreach (var (tenant, ms) in NewestPerTenant)
        {
            checks[NewestKey + "." + (tenant.Length == 0 ? "-" : tenant)] = ms;
        }

        if (FlushUrl is not null)
        {
            checks[FlushKey] = FlushError is null ? 1 : 0;
        }
    }

    /// <summary>One line for people: what the backup is missing.</summary>
    public string Summary()
    {
        var flush = FlushUrl is null
            ? "no ingester flush was asked for (flush_url / --flush-url)"
            : FlushError is null ? "the ingester flush was asked for and answered (Mimir's status code does not confirm the flush itself)" : "the ingester flush FAILED: " + FlushError;
        return NewestMaxTime is { } newest
            ? $"newest block ends {Format(newest)}, {Gap(GapSeconds ?? 0)} before this scan: samples after it were still in the ingesters and are not in this backup (blocks reach the bucket about every two hours); {flush}"
            : $"no block with a max time was taken: none of this bucket's samples are in this backup; {flush}";
    }

    public static string Format(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Gap(long seconds) =>
        seconds >= 86400 ? $"{seconds / 86400}d{seconds % 86400 / 3600}h" : seconds >= 3600 ? $"{seconds / 3600}h{seconds % 3600 / 60:00}m" : $"{seconds / 60}m{seconds % 60:00}s";
}
