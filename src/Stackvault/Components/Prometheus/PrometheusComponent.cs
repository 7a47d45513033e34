namespace Stackvault.Configuration;

/// <summary><c>type: prometheus</c>: the HTTP API (for the snapshot endpoint) and the TSDB data directory.</summary>
public sealed record PrometheusComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "prometheus";

    public override string Type => TypeName;

    /// <summary><c>retention</c>: the server's <c>--storage.tsdb.retention.time</c>, for restore warnings (default 15d).</summary>
    public TimeSpan? Retention { get; init; }
}
