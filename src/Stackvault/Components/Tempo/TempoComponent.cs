namespace Stackvault.Configuration;

/// <summary>
/// <c>type: tempo</c> (local storage): the HTTP URL (for /flush on 2.x) and the data directory.
/// <c>include_compacted: true</c> also stores blocks already compacted away (meta.compacted.json).
/// </summary>
public sealed record TempoComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "tempo";

    public override string Type => TypeName;

    public bool IncludeCompacted { get; init; }
}
