namespace Stackvault.Configuration;

/// <summary>
/// <c>type: grafana</c>: the SQLite database (required), grafana.ini (holds secret_key), provisioning and plugins
/// directories, the HTTP URL and an optional API token.
/// </summary>
public sealed record GrafanaComponent(
    string Name,
    HookSet Hooks,
    int Line,
    string Database,
    string? ConfigFile,
    string? ProvisioningDir,
    string? PluginsDir,
    Uri? Url,
    SecretValue? ApiToken)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "grafana";

    public override string Type => TypeName;
}
