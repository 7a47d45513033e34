using System.Diagnostics;
using System.Text;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// <c>type: alertmanager</c>: its silences as <c>GET /api/v2/silences</c> answers (stored as
/// <c>/&lt;name&gt;/api-silences.json</c>), and the snapshot files of its data directory (<c>silences</c>,
/// <c>nflog</c>, stored at <c>/&lt;name&gt;/silences</c> and <c>/&lt;name&gt;/nflog</c>; the <c>&lt;file&gt;.&lt;hex&gt;</c>
/// temp files Alertmanager writes before its rename are left out). A silence reaches the data directory only at the
/// next maintenance (15 minutes) or at shutdown, so the API copy is the up-to-date one.
/// </summary>
public sealed class AlertmanagerAdapter(HttpClient httpClient, TimeProvider time) : IComponentAdapter
{
    public string Type => AlertmanagerComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var am = (AlertmanagerComponent)component;
        var started = Stopwatch.GetTimestamp();
        var dataDir = Path.GetFullPath(am.DataDir).TrimEnd('/');
        if (!Directory.Exists(dataDir))
        {
            throw new StackvaultException($"{dataDir}: no such directory (the Alertmanager data_dir)");
        }

        var api = new AlertmanagerApi(httpClient, am.Url);
        var json = await api.SilencesJsonAsync(cancellationToken).ConfigureAwait(false);
        var silences = Silence.ParseList(json, $"Alertmanager {api.SafeUrl} /api/v2/silences");
        var now = time.GetUtcNow();

        var bytes = Encoding.UTF8.GetBytes(json);
        var sources = new List<BackupSource>
        {
            BackupSource.FromStream(ComponentPlan.PathIn(component, AlertmanagerChecks.ApiFile), _ => ValueTask.FromResult<Stream>(new MemoryStream(bytes, writable: false))),
        };
        var files = AlertmanagerChecks.DataFileNames.Where(f => File.Exists(Path.Combine(dataDir, f))).ToList();
        if (files.Count == 0)
        {
            throw new StackvaultException($"{dataDir} is not a recognised Alertmanager storage.path: neither silences nor nflog is there");
        }

        sources.AddRange(files.Select(f => BackupSource.At(ComponentPlan.PathIn(component, f), Path.Combine(dataDir, f))));
        var section = ComponentPlan.NewSection(component, "alertmanager-api-copy", api.SafeUrl);
        section.EngineVersion = await api.VersionAsync(cancellationToken).ConfigureAwait(false);
        section.Checks = new Dictionary<string, long>
        {
            [AlertmanagerChecks.Silences] = silences.Count,
            [AlertmanagerChecks.ActiveSilences] = silences.Count(s => s.InForce(now)),
            [AlertmanagerChecks.DataFiles] = files.Count,
        };
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }
}
