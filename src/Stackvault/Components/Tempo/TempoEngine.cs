using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Tempo;

/// <summary>
/// <c>type: tempo</c> with the local backend: flushed where <c>/flush</c> exists (2.x), complete blocks only
/// (<see cref="TempoLayout"/>: partial ones left out and counted), all data; restored as its data directory; probed
/// through <c>/ready</c> and build info; drilled structurally (<see cref="TempoDrillCheck"/>).
/// </summary>
internal sealed class TempoEngine : IEngine
{
    public string Type => TempoComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["url", "data_dir", "include_compacted"];

    public string Method => "tempo-flush-copy";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new()
    {
        NeedsStop = true,
        VersionHint = "a schema or block format change refuses to start; validate the config with the running version (`-config.verify`/`-validate-config`)",
    };

    public IDrillCheck Drill { get; } = new TempoDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var url = s.Reader.HttpUrl(s.Map, s.Path, "url", required: true);
        var dataDir = s.Reader.AbsolutePath(s.Map, s.Path, "data_dir", required: true);
        return url is null || dataDir is null ? null
            : new TempoComponent(s.Name, s.Hooks, s.Line, url, dataDir) { IncludeCompacted = s.Reader.Bool(s.Map, s.Path, "include_compacted") ?? false };
    }

    public IEnumerable<string> Warnings(ComponentConfig component)
    {
        var dataDir = ((TempoComponent)component).DataDir;
        var missing = LayoutWarnings.Directory("data_dir", dataDir, _ => true, TempoLayout.Expected).ToList();
        if (missing.Count > 0)
        {
            return missing;
        }

        return TempoLayout.Scan(dataDir, CancellationToken.None).Roots.Count > 0 ? [] : [$"data_dir {dataDir} is not a recognised layout: no block root found; expected {TempoLayout.Expected}"];
    }

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is TempoComponent t
        ? [("url", Configuration.ConfigRedaction.Text(t.Url.OriginalString)), ("data_dir", t.DataDir), ("include_compacted", t.IncludeCompacted)]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new TempoAdapter(services.Http);

    public ItemClass ClassOf(string relative) => ItemClass.Data;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) => [new LiveItem(string.Empty, ((TempoComponent)component).DataDir)];

    public IEngineProbe Probe(EngineServices services) => new HttpProbe(services.Http, c => ((TempoComponent)c).Url, "api/status/buildinfo", "ready");
}
