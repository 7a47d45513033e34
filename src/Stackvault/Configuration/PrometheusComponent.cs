namespace Stackvault.Configuration;

/// <summary><c>type: prometheus</c>: the HTTP API (for the snapshot endpoint) and the TSDB data directory.</summary>
public sealed record PrometheusComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    public override string Type => "prometheus";
}
