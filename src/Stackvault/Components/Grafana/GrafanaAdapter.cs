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

    public string Type => GrafanaComponent.TypeName;

    public ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken) =>
        PrepareAsync(component, scratchDirectory, null, cancellationToken);

    /// <summary>
    /// <c>--only config</c> makes no database copy and records no row counts (the database is not stored);
    /// <c>--only data</c> stores the database alone.
    /// </summary>
    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, ItemClass? only, CancellationToken cancellationToken)
    {
        var grafana = (GrafanaComponent)component;
        if (grafana.ConfigFile is not null && !repositoryEncrypted && only != ItemClass.Data)
        {
            throw new UsageException(
                $"component {component.Name}: config_file (grafana.ini holds secret_key) is only backed up into an encrypted repository; this one is unencrypted");
        }

        var started = Stopwatch.GetTimestamp();
        var sources = new List<BackupSource>();
        var checks = new Dictionary<string, long>();
        if (only != ItemClass.Config)
        {
            var copy = Path.Combine(scratchDirectory, GrafanaEngine.Database);
            var result = await new SqliteOnlineBackup().RunAsync(grafana.Database, copy, cancellationToken).ConfigureAwait(false);
            if (!result.IsIntact)
            {
                throw new IOException($"the copy of {grafana.Database} failed integrity_check: {string.Join("; ", result.Check.IntegrityMessages.Take(3))}");
            }

            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, GrafanaEngine.Database), copy));
            foreach (var (table, rows) in result.Check.RowCounts)
            {
                checks[table] = rows;
            }
        }

        GrafanaApiExport? api = null;
        if (only != ItemClass.Data)
        {
            AddConfig(grafana, sources);

            // With url and api_token: dashboards, folders, datasources (no secrets), alerting as JSON under /<name>/api.
            api = grafana is { Url: not null, ApiToken: not null }
                ? await GrafanaApiExporter.For(grafana, httpClient ?? ApiHttp).ExportAsync(Path.Combine(scratchDirectory, GrafanaEngine.Api), cancellationToken).ConfigureAwait(false) : null;
            if (api is { Stored: true })
            {
                sources.Add(BackupSource.At(ComponentPlan.PathIn(component, GrafanaEngine.Api), api.Directory));
            }
        }

        var section = ComponentPlan.NewSection(component, "sqlite-online-backup", grafana.Database);
        section.EngineVersion = await VersionAsync(grafana, cancellationToken).ConfigureAwait(false);
        section.Checks = checks;
        api?.Record(section);
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }

    /// <summary>The running Grafana's version from <c>/api/health</c> (no token needed) when <c>url</c> is set; null when it does not answer.</summary>
    private async Task<string?> VersionAsync(GrafanaComponent grafana, CancellationToken cancellationToken)
    {
        if (grafana.Url is not { } url)
        {
            return null;
        }

        try
        {
            return await HttpProbe.JsonVersionAsync(httpClient ?? ApiHttp, new Uri(HttpProbe.Slash(url), "api/health"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// grafana.ini, provisioning and plugins, each stored when configured. A configured path that is not there is an
    /// error, not a silence: the component fails naming it (a plugins_dir that is set but missing would otherwise
    /// restore a Grafana without its plugins).
    /// </summary>
    private static void AddConfig(GrafanaComponent grafana, List<BackupSource> sources)
    {
        (string Key, string? Path, string Relative, bool Directory)[] items =
        [
            ("config_file", grafana.ConfigFile, GrafanaEngine.Ini, false),
            ("provisioning_dir", grafana.ProvisioningDir, GrafanaEngine.Provisioning, true),
            ("plugins_dir", grafana.PluginsDir, GrafanaEngine.Plugins, true),
        ];
        foreach (var (key, path, relative, directory) in items)
        {
            if (path is null)
            {
                continue;
            }

            if (directory ? !System.IO.Directory.Exists(path) : !File.Exists(path))
            {
                throw new StackvaultException($"component {grafana.Name}: {key} {path} does not exist: it is configured, so it must be backed up");
            }

            sources.Add(BackupSource.At(ComponentPlan.PathIn(grafana, relative), path));
        }
    }
}
