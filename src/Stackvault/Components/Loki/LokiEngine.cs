using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Loki;

/// <summary>
/// <c>type: loki</c> with filesystem storage: flushed, index copied before the chunks are read (<see cref="LokiAdapter"/>),
/// all data; restored as its data directory, a stale ingester WAL moved aside; probed through <c>/ready</c> and build
/// info; drilled structurally (<see cref="LokiDrillCheck"/>). Layouts: the image's <c>/loki</c>, the chart's
/// <c>/var/loki</c>, the local config's <c>/tmp/loki</c>; 2.x boltdb-shipper (flat base64 chunk files) and 3.x
/// tsdb-shipper (per-tenant chunk folders).
/// </summary>
internal sealed class LokiEngine : IEngine
{
    /// <summary>Top-level names a Loki filesystem data directory holds (any one of them is enough to recognise it).</summary>
    public static readonly IReadOnlyList<string> Recognised =
        ["chunks", "index", "wal", "rules", "compactor", "tsdb-shipper-active", "tsdb-shipper-cache", "boltdb-shipper-active", "boltdb-shipper-cache", "boltdb-shipper-compactor", "loki_cluster_seed.json"];

    public string Type => LokiComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["url", "data_dir", "flush"];

    public string Method => "loki-flush-copy";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new()
    {
        NeedsStop = true,
        VersionHint = "a schema or block format change refuses to start; validate the config with the running version (`-config.verify`/`-validate-config`)",
        // An ingester WAL of another moment would be replayed over the restored chunks and index.
        StaleFiles = ["wal"],
    };

    public IDrillCheck Drill { get; } = new LokiDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var url = s.Reader.HttpUrl(s.Map, s.Path, "url", required: true);
        var dataDir = s.Reader.AbsolutePath(s.Map, s.Path, "data_dir", required: true);
        var flush = s.Reader.String(s.Map, s.Path, "flush") ?? LokiComponent.FlushRequired;
        if (flush is not (LokiComponent.FlushRequired or LokiComponent.FlushOptional))
        {
            s.Problem("flush", $"must be {LokiComponent.FlushRequired} or {LokiComponent.FlushOptional}");
            flush = LokiComponent.FlushRequired;
        }

        return url is null || dataDir is null ? null : new LokiComponent(s.Name, s.Hooks, s.Line, url, dataDir) { Flush = flush };
    }

    public IEnumerable<string> Warnings(ComponentConfig component) => LayoutWarnings.Directory(
        "data_dir", ((LokiComponent)component).DataDir, Recognised.Contains,
        "Loki's path_prefix with chunks/, wal/ and tsdb-shipper-active/ or boltdb-shipper-active/: /loki in the image, /var/loki in the Helm chart");

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is LokiComponent l
        ? [("url", Configuration.ConfigRedaction.Text(l.Url.OriginalString)), ("data_dir", l.DataDir), ("flush", l.Flush)]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new LokiAdapter(services.Http);

    public ItemClass ClassOf(string relative) => ItemClass.Data;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) => [new LiveItem(string.Empty, ((LokiComponent)component).DataDir)];

    public IEngineProbe Probe(EngineServices services) => new HttpProbe(services.Http, c => ((LokiComponent)c).Url, "loki/api/v1/status/buildinfo", "ready");
}
