namespace Stackvault.Components.Prometheus;

/// <summary>
/// The names of the counts a Prometheus backup records in its section (<see cref="PrometheusAdapter"/>,
/// <see cref="Drill.PrometheusRecording"/>) and its drill compares (<see cref="Drill.PrometheusDrillCheck"/>).
/// </summary>
public static class PrometheusChecks
{
    public const string Blocks = "blocks";
    public const string NumSamples = "num_samples";
    public const string PartialBlocks = "partial_blocks";
    public const string MinTimeMs = "min_time_ms";
    public const string MaxTimeMs = "max_time_ms";
    public const string WindowStartMs = "query.window_start_ms";
    public const string WindowEndMs = "query.window_end_ms";
    public const string UpSamples = "query.up_samples";
    public const string UpSeries = "query.up_series";

    /// <summary>Per block: <c>block.&lt;ulid&gt;.samples</c>.</summary>
    public static string BlockSamples(string ulid) => $"block.{ulid}.samples";

    /// <summary>Per block: <c>block.&lt;ulid&gt;.series</c>.</summary>
    public static string BlockSeries(string ulid) => $"block.{ulid}.series";

    /// <summary>The ULID of a <see cref="BlockSamples"/> key, else null.</summary>
    public static string? UlidOfSamples(string key) =>
        key.StartsWith("block.", StringComparison.Ordinal) && key.EndsWith(".samples", StringComparison.Ordinal) ? key["block.".Length..^".samples".Length] : null;
}
