using System.Diagnostics;
using Stackvault.Backup;
using Stackvault.Configuration;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// <c>type: prometheus</c>: a TSDB snapshot through the admin API, its blocks stored at <c>/&lt;name&gt;/data</c>;
/// the snapshot directory is deleted after the backup. Checks: complete blocks and the sum of their numSamples, plus
/// what restore drills compare against (<see cref="Drill.PrometheusRecording"/>).
/// </summary>
public sealed class PrometheusAdapter(HttpClient httpClient, TimeProvider timeProvider) : IComponentAdapter
{
    public string Type => PrometheusComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var prometheus = (PrometheusComponent)component;
        var started = Stopwatch.GetTimestamp();
        var client = new PrometheusClient(httpClient, prometheus.Url, timeProvider);
        var buildInfo = await client.BuildInfoAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await PrometheusSnapshot.CreateAsync(client, prometheus.DataDir, skipHead: false, cancellationToken).ConfigureAwait(false);
        try
        {
            var layout = TsdbLayout.Scan(snapshot.Directory);
            var section = ComponentPlan.NewSection(component, "prometheus-snapshot-api", WithoutUserInfo(prometheus.Url));
            section.EngineVersion = buildInfo.Version;
            section.Checks = new Dictionary<string, long>
            {
                [PrometheusChecks.Blocks] = layout.Blocks.Count,
                [PrometheusChecks.NumSamples] = (long)layout.Blocks.Aggregate(0UL, (sum, block) => sum + block.NumSamples),
            };
            if (layout.PartialBlocks.Count > 0)
            {
                section.Checks[PrometheusChecks.PartialBlocks] = layout.PartialBlocks.Count;
            }

            // What restore drills compare against: the range, per-block stats, the live server's answer for `up`.
            Drill.PrometheusRecording.AddBlocks(section.Checks, layout);
            await Drill.PrometheusRecording.AddQueriesAsync(section.Checks, client, cancellationToken).ConfigureAwait(false);

            section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var source = BackupSource.At(ComponentPlan.PathIn(component, "data"), snapshot.Directory);
            return new ComponentPlan([source], section, snapshot);
        }
        catch
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The URL as recorded in the manifest: without a user or password.</summary>
    private static string WithoutUserInfo(Uri url) =>
        string.IsNullOrEmpty(url.UserInfo) ? url.ToString() : new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
}
