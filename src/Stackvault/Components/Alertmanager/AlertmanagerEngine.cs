using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// <c>type: alertmanager</c>: silences through the API plus the data directory's <c>silences</c> and <c>nflog</c>
/// (all data); restored as files (the data directory) and, for silences still in force, through the API
/// (<see cref="AlertmanagerSilenceRestorer"/>, <c>stackvault am-restore</c>); probed through <c>/-/ready</c>;
/// drilled by starting an Alertmanager on the restored files (<see cref="AlertmanagerDrillCheck"/>).
/// </summary>
internal sealed class AlertmanagerEngine : IEngine
{
    public string Type => AlertmanagerComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["url", "data_dir"];

    public string Method => "alertmanager-api-copy";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    public ItemClass Recovery => ItemClass.Data;

    public EngineRestore Restore { get; } = new()
    {
        NeedsStop = true,
        VersionHint = "the silences/nflog snapshot format is stable across 0.x releases; check the Alertmanager changelog",
    };

    public IDrillCheck Drill { get; } = new AlertmanagerDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var url = s.Reader.HttpUrl(s.Map, s.Path, "url", required: true);
        var dataDir = s.Reader.AbsolutePath(s.Map, s.Path, "data_dir", required: true);
        return url is null || dataDir is null ? null : new AlertmanagerComponent(s.Name, s.Hooks, s.Line, url, dataDir);
    }

    public IEnumerable<string> Warnings(ComponentConfig component)
    {
        var dataDir = ((AlertmanagerComponent)component).DataDir;
        if (!Directory.Exists(dataDir))
        {
            return [$"data_dir {dataDir} does not exist"];
        }

        return AlertmanagerChecks.DataFileNames.Any(f => File.Exists(Path.Combine(dataDir, f))) ? []
            : [$"data_dir {dataDir} is not a recognised layout: expected the Alertmanager --storage.path with silences and nflog"];
    }

    public IComponentAdapter Adapter(EngineServices services) => new AlertmanagerAdapter(services.Http, services.Time);

    public ItemClass ClassOf(string relative) => ItemClass.Data;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) =>
        [.. AlertmanagerChecks.DataFileNames.Select(f => new LiveItem(f, Path.Combine(((AlertmanagerComponent)component).DataDir, f)))];

    public IEngineProbe Probe(EngineServices services) => new HttpProbe(services.Http, c => ((AlertmanagerComponent)c).Url, "api/v2/status", "-/ready");
}
