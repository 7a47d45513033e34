namespace Stackvault.Configuration;

/// <summary>
/// <c>type: bucket</c>: an object-storage bucket of a known layout (<c>mimir</c>, <c>thanos</c>, <c>cortex</c>,
/// <c>loki</c>, <c>tempo</c>), backed up object by object under <c>/&lt;name&gt;/</c> (docs/buckets.md). <c>tenants</c>
/// limits it to some tenants; <c>keep</c> takes what is left out by default (marked, partial, markers, index, cluster).
/// <c>flush_url</c> (mimir, cortex) is the ingesters' <c>/ingester/flush</c>, called with wait=true before the bucket is
/// listed; <c>allow_empty</c> lets a <c>generic</c> bucket be empty. Layout <c>generic</c> keeps every object.
/// </summary>
public sealed record BucketComponent(string Name, HookSet Hooks, int Line, string Url, Buckets.BucketLayout Layout)
    : ComponentConfig(Name, Hooks, Line)
{
    public static readonly IReadOnlyList<string> KeepKinds = ["marked", "partial", "markers", "index", "cluster"];

    public IReadOnlyList<string> Tenants { get; init; } = [];

    public IReadOnlyList<string> Keep { get; init; } = [];

    public string? FlushUrl { get; init; }

    public bool AllowEmpty { get; init; }

    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "bucket";

    public override string Type => TypeName;
}
