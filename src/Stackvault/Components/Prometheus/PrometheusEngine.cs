using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Repository.Model;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Prometheus;

/// <summary>
/// <c>type: prometheus</c>: backed up through the TSDB snapshot API (<see cref="PrometheusAdapter"/>), all data, restored
/// as a data directory (the snapshot's <c>data</c>), probed through <c>/-/ready</c> and build info, drilled by starting a
/// real Prometheus on the restored copy (<see cref="PrometheusDrillCheck"/>). Layouts: the image's <c>/prometheus</c>
/// and the chart's <c>/data</c> (a TSDB directory: <c>wal/</c>, <c>chunks_head/</c>, ULID blocks).
/// </summary>
internal sealed class PrometheusEngine : IEngine
{
    public string Type => PrometheusComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["url", "data_dir", "retention"];

    public string Method => "prometheus-snapshot-api";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new()
    {
        DataRoot = "data",
        NeedsStop = true,
        VersionHint = "newer Prometheus releases read older TSDB blocks, an older one may not read blocks a newer one compacted; check with `promtool check config` and `promtool tsdb analyze`",
        // Not in a snapshot: the lock of the server that ran on the directory. (A WAL left there is reported by RestoredWarnings.)
        StaleFiles = ["lock"],
    };

    public IDrillCheck Drill { get; } = new PrometheusDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var url = s.Reader.HttpUrl(s.Map, s.Path, "url", required: true);
        var dataDir = s.Reader.AbsolutePath(s.Map, s.Path, "data_dir", required: true);
        return url is null || dataDir is null ? null
            : new PrometheusComponent(s.Name, s.Hooks, s.Line, url, dataDir) { Retention = s.Reader.Duration(s.Map, s.Path, "retention") };
    }

    public IEnumerable<string> Warnings(ComponentConfig component) => LayoutWarnings.Directory(
        "data_dir", ((PrometheusComponent)component).DataDir,
        name => name is "wal" or "chunks_head" or "lock" or "queries.active" or "wbl" || TsdbUlid.IsValid(name),
        "a TSDB directory with wal/, chunks_head/ and ULID blocks: /prometheus in the image, /data in the Helm chart");

    /// <summary>Blocks older than the retention (deleted at the next start) and a WAL that overlaps the restored blocks.</summary>
    public IEnumerable<string> RestoredWarnings(string directory, TimeSpan? retention, TimeProvider time)
    {
        try
        {
            var layout = TsdbLayout.Scan(directory);
            return [.. PrometheusRestoreWarnings.OldBlocks(directory, retention ?? PrometheusRestoreWarnings.DefaultRetention, time.GetUtcNow()), .. PrometheusRestoreWarnings.WalOverlap(layout.Blocks, directory)];
        }
        catch (Exception e) when (e is Errors.StackvaultException or IOException)
        {
            return [$"cannot read the restored TSDB blocks for the retention and WAL checks: {e.Message}"];
        }
    }

    /// <summary>Staged blocks older than the retention the live server runs with (they are deleted when it starts).</summary>
    public IEnumerable<string> StagedWarnings(ComponentConfig component, IReadOnlyList<(LiveItem Item, string Path)> staged, TimeSpan? retention, TimeProvider time)
    {
        if (staged.FirstOrDefault(i => i.Item.Relative == "data").Path is not { } data)
        {
            return [];
        }

        try
        {
            return PrometheusRestoreWarnings.OldBlocks(data, ((PrometheusComponent)component).Retention ?? retention ?? PrometheusRestoreWarnings.DefaultRetention, time.GetUtcNow());
        }
        catch (Errors.StackvaultException e)
        {
            return [$"cannot read the staged TSDB blocks for the retention check: {e.Message}"];
        }
    }

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is PrometheusComponent p
        ? [("url", Configuration.ConfigRedaction.Text(p.Url.OriginalString)), ("data_dir", p.DataDir)]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new PrometheusAdapter(services.Http, services.Time);

    public ItemClass ClassOf(string relative) => ItemClass.Data;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) => [new LiveItem("data", ((PrometheusComponent)component).DataDir)];

    public IEngineProbe Probe(EngineServices services) => new PrometheusProbe(services.Http, services.Time);

    private sealed class PrometheusProbe(HttpClient http, TimeProvider time) : HttpProbe(http, c => ((PrometheusComponent)c).Url, "api/v1/status/buildinfo", "-/ready")
    {
        public override async Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken)
        {
            try
            {
                await new PrometheusClient(Http, ((PrometheusComponent)component).Url, time).QueryAsync("vector(1)", null, cancellationToken).ConfigureAwait(false);
                return (null, "answers queries");
            }
            catch (Exception e) when (e is HttpRequestException or Errors.StackvaultException)
            {
                return ("a query failed: " + e.Message, string.Empty);
            }
        }
    }
}
