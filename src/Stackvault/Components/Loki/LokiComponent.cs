namespace Stackvault.Configuration;

/// <summary>
/// <c>type: loki</c> (filesystem storage): the HTTP URL (for /flush) and the data directory. <c>flush: required</c>
/// (the default) fails the component when Loki cannot be reached; <c>flush: optional</c> copies the files anyway.
/// </summary>
public sealed record LokiComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    public const string FlushRequired = "required";
    public const string FlushOptional = "optional";

    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "loki";

    public override string Type => TypeName;

    /// <summary><see cref="FlushRequired"/> or <see cref="FlushOptional"/>.</summary>
    public string Flush { get; init; } = FlushRequired;
}
