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
    public override string Type => "grafana";
}
