namespace Stackvault.Configuration;

/// <summary><c>type: loki</c> (filesystem storage): the HTTP URL (for /flush) and the data directory.</summary>
public sealed record LokiComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    public override string Type => "loki";
}
