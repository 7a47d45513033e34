using System.Globalization;
using System.Text.Json;
using Stackvault.Components.Prometheus;
using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>
/// What a Prometheus backup records in its section for restore drills to compare against: the backed-up time range
/// (<c>min_time_ms</c>, <c>max_time_ms</c> over the blocks, the head included as the snapshot's last block), samples
/// and series per block (<c>block.&lt;ulid&gt;.samples</c>, <c>block.&lt;ulid&gt;.series</c> from meta.json stats),
/// and, from the live server, the samples and series of <c>up</c> over a window of that range (its latest 6 hours at most)
/// (<c>query.window_start_ms</c>, <c>query.window_end_ms</c>, <c>query.up_samples</c>, <c>query.up_series</c>).
/// </summary>
public static class PrometheusRecording
{
    /// <summary>When the range is longer than this, the query window ends this much before its end (a scrape committed late is not a mismatch).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>Adds the block stats and the range to <paramref name="checks"/>.</summary>
    public static void AddBlocks(Dictionary<string, long> checks, TsdbLayout layout)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Blocks.Count == 0)
        {
            return;
        }

        checks[PrometheusChecks.MinTimeMs] = layout.Blocks.Min(b => b.MinTime);
        checks[PrometheusChecks.MaxTimeMs] = layout.Blocks.Max(b => b.MaxTime);
        foreach (var block in layout.Blocks)
        {
            checks[PrometheusChecks.BlockSamples(block.Ulid)] = (long)block.NumSamples;
            checks[PrometheusChecks.BlockSeries(block.Ulid)] = NumSeries(block.Path);
        }
    }

    /// <summary>
    /// Asks the live server for the <c>up</c> samples and series in the window of the recorded range. Best effort:
    /// a failing query records nothing (the drill then skips that comparison).
    /// </summary>
    public static async Task AddQueriesAsync(Dictionary<string, long> checks, PrometheusClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(client);
        if (!checks.TryGetValue(PrometheusChecks.MinTimeMs, out var min) || !checks.TryGetValue(PrometheusChecks.MaxTimeMs, out var max))
        {
            return;
        }

        var (start, end) = Window(min, max);
        try
        {
            var (samples, series) = await UpAsync(client, start, end, cancellationToken).ConfigureAwait(false);
            checks[PrometheusChecks.WindowStartMs] = start;
            checks[PrometheusChecks.WindowEndMs] = end;
            checks[PrometheusChecks.UpSamples] = samples;
            checks[PrometheusChecks.UpSeries] = series;
        }
        catch (StackvaultException)
        {
        }
    }

    /// <summary>At most this much of the range is queried (the latest part), so the query stays cheap on a large server.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(6);

    /// <summary>
    /// The window checked by query: [min, max) less the margin at the end when the range is long enough, and at most
    /// <see cref="MaxWindow"/> long (its latest part). Inclusive bounds, ms.
    /// </summary>
    public static (long Start, long End) Window(long minTimeMs, long maxTimeMs)
    {
        var margin = (long)Margin.TotalMilliseconds;
        var end = Math.Max(minTimeMs, maxTimeMs - minTimeMs > 2 * margin ? maxTimeMs - margin : maxTimeMs - 1);
        return (Math.Max(minTimeMs, end - (long)MaxWindow.TotalMilliseconds + 1), end);
    }

    /// <summary>
    /// Samples of <c>up</c> in [start, end] and the number of its series, evaluated at end. The range reaches 1 ms
    /// before start so that Prometheus 2 (left-closed ranges) and 3 (left-open) count the same samples.
    /// </summary>
    public static async Task<(long Samples, long Series)> UpAsync(PrometheusClient client, long startMs, long endMs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var range = (endMs - startMs + 1).ToString(CultureInfo.InvariantCulture) + "ms";
        var at = DateTimeOffset.FromUnixTimeMilliseconds(endMs);
        var result = await client.QueryAsync($"count_over_time(up[{range}])", at, cancellationToken).ConfigureAwait(false);
        var samples = result.Sum(s => s.Samples.Sum(x => x.Value));
        return ((long)Math.Round(samples), result.Count);
    }

    /// <summary>stats.numSeries of a block's meta.json (0 when absent).</summary>
    public static long NumSeries(string blockDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Join(blockDirectory, "meta.json")));
        return document.RootElement.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.Object
            && stats.TryGetProperty("numSeries", out var series) && series.TryGetInt64(out var value) ? value : 0;
    }
}
