namespace Stackvault.Configuration;

/// <summary>
/// <c>type: alertmanager</c>: the API URL (silences are read and re-created through <c>/api/v2/silences</c>) and the
/// data directory (<c>--storage.path</c>, holding the <c>silences</c> and <c>nflog</c> snapshot files).
/// </summary>
public sealed record AlertmanagerComponent(string Name, HookSet Hooks, int Line, Uri Url, string DataDir)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "alertmanager";

    public override string Type => TypeName;
}
