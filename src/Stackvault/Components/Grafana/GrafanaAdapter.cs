using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Grafana;

/// <summary>
/// <c>type: grafana</c>: an online backup of the SQLite database into the scratch directory, stored at
/// <c>/&lt;name&gt;/grafana.db</c>, plus grafana.ini at <c>/&lt;name&gt;/grafana.ini</c> and the provisioning directory at
/// <c>/&lt;name&gt;/provisioning</c> when configured. grafana.ini holds secret_key: it is only stored in an encrypted
/// repository. Checks: the copy's row counts.
/// </summary>
public sealed class GrafanaAdapter(bool repositoryEncrypted, HttpClient? httpClient = null) : IComponentAdapter
{
    private static readonly HttpClient ApiHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Type => "grafana";

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var grafana = (GrafanaComponent)component;
        if (grafana.ConfigFile is not null && !repositoryEncrypted)
        {
            throw new StackvaultException(
                $"component {component.Name}: config_file (grafana.ini holds secret_key) is only backed up into an encrypted repository; this one is unencrypted",
                ExitCode.Usage);
        }

        var started = Stopwatch.GetTimestamp();
        var copy = Path.Combine(scratchDirectory, "grafana.db");
        var result = await new SqliteOnlineBackup().RunAsync(grafana.Database, copy, cancellationToken).ConfigureAwait(false);
        if (!result.IsIntact)
        {
            throw new IOException($"the copy of {grafana.Database} failed integrity_check: {string.Join("; ", result.Check.IntegrityMessages.Take(3))}");
        }

        var sources = new List<BackupSource> { BackupSource.At(ComponentPlan.PathIn(component, "grafana.db"), copy) };
        if (grafana.ConfigFile is { } ini)
        {
            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "grafana.ini"), ini));
        }

        if (grafana.ProvisioningDir is { } provisioning)
        {
            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "provisioning"), provisioning));
        }

        // With url and api_token: dashboards, folders, datasources (no secrets), alerting as JSON under /<name>/api.
        var api = grafana is { Url: not null, ApiToken: not null }
            ? await GrafanaApiExporter.For(grafana, httpClient ?? ApiHttp).ExportAsync(Path.Combine(scratchDirectory, "api"), cancellationToken).ConfigureAwait(false) : null;
        if (api is { Stored: true })
        {
            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "api"), api.Directory));
        }

        var section = ComponentPlan.NewSection(component, "sqlite-online-backup", grafana.Database);
        section.Checks = new Dictionary<string, long>(result.Check.RowCounts);
        api?.Record(section);
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }
}
