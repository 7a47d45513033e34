using System.Diagnostics;

namespace Stackvault.Buckets;

/// <summary>
/// The half of a <see cref="BucketPlan"/> that reads only the bucket: the ingesters' flush (when asked for), the
/// listing, every block's meta.json and the judgement of each block. The repository gives it at most the parent's
/// meta.json files, so it can run before the repository is open (<see cref="BucketScanAhead"/>).
/// </summary>
/// <param name="Held">The meta.json bytes the scan read, by key, which the backup stores instead of reading them again.</param>
/// <param name="FlushError">Why the flush failed; null when it did or none was asked for.</param>
/// <param name="Freshness">How far the bucket lags behind the scan's time, on the layouts with ingesters; else null.</param>
public sealed record BucketScan(BucketScanOptions Options, BucketReport Report, IReadOnlyDictionary<string, byte[]> Held, string? FlushError, BucketFreshness? Freshness, TimeSpan Duration)
{
    /// <summary>Scans <paramref name="store"/>; unchanged meta.json files come from <paramref name="parent"/> (null: all from the bucket).</summary>
    public static async ValueTask<BucketScan> RunAsync(IBucketStore store, BucketScanOptions options, TimeProvider time, ParentObjects? parent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        var started = Stopwatch.GetTimestamp();
        var flushError = options.FlushUrl is { } flushUrl ? await IngesterFlush.RunAsync(flushUrl, cancellationToken).ConfigureAwait(false) : null;
        var scanner = new BucketScanner(store, options, parent);
        var report = await scanner.ScanAsync(cancellationToken).ConfigureAwait(false);
        var freshness = options.Layout.HasIngesters ? BucketFreshness.Of(report, time.GetUtcNow(), options.FlushUrl, flushError) : null;
        return new BucketScan(options, report, scanner.Held, flushError, freshness, Stopwatch.GetElapsedTime(started));
    }
}
