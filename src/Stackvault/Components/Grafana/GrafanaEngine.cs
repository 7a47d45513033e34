using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Repository.Model;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Grafana;

/// <summary>
/// <c>type: grafana</c>: the SQLite database by the online backup API (data), grafana.ini, provisioning and plugins
/// (configuration), the API export (configuration); restored to their configured paths with the database's stale
/// -wal/-shm/-journal moved aside; probed through <c>/api/health</c>; drilled by integrity_check and row counts.
/// Layout: the image's <c>/var/lib/grafana</c> (grafana.db, plugins/), <c>/etc/grafana/grafana.ini</c> and
/// <c>/etc/grafana/provisioning</c>.
/// </summary>
internal sealed class GrafanaEngine : IEngine
{
    public const string Database = "grafana.db";
    public const string Ini = "grafana.ini";
    public const string Provisioning = "provisioning";
    public const string Plugins = "plugins";
    public const string Api = "api";

    public string Type => GrafanaComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["database", "config_file", "provisioning_dir", "plugins_dir", "url", "api_token", "api_token_file", "api_token_command"];

    public string Method => "sqlite-online-backup";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Config, ItemClass.Data];

    /// <summary>Its database is configuration to the operators' recovery matrix: dashboards, datasources, alert rules.</summary>
    public ItemClass Recovery => ItemClass.Config;

    public EngineRestore Restore { get; } = new()
    {
        NeedsStop = true,
        VersionHint = "Grafana migrates its database on start: an older Grafana cannot open a database a newer one migrated, and a newer one migrates the restored copy (it cannot go back)",
        // SQLite would replay a stale write-ahead log or rollback journal into the restored database.
        StaleFiles = [Database + "-wal", Database + "-shm", Database + "-journal"],
    };

    public IDrillCheck Drill { get; } = new GrafanaDrillCheck();

    public ComponentConfig? Read(EngineSection s)
    {
        var database = s.Reader.AbsolutePath(s.Map, s.Path, "database", required: true);
        var grafana = new GrafanaComponent(
            s.Name, s.Hooks, s.Line, database ?? string.Empty,
            s.Reader.AbsolutePath(s.Map, s.Path, "config_file"),
            s.Reader.AbsolutePath(s.Map, s.Path, "provisioning_dir"),
            s.Reader.AbsolutePath(s.Map, s.Path, "plugins_dir"),
            s.Reader.HttpUrl(s.Map, s.Path, "url"),
            s.Reader.Secret(s.Map, s.Path, "api_token", s.EnvironmentPrefix));
        return database is null ? null : grafana;
    }

    public IEnumerable<string> Warnings(ComponentConfig component)
    {
        var g = (GrafanaComponent)component;
        if (!File.Exists(g.Database))
        {
            yield return $"database {g.Database} does not exist here (expected Grafana's SQLite database, /var/lib/grafana/grafana.db in the image)";
            yield break;
        }

        var beside = Path.Combine(Path.GetDirectoryName(g.Database)!, Plugins);
        if (g.PluginsDir is null && Directory.Exists(beside) && Directory.EnumerateFileSystemEntries(beside).Any())
        {
            yield return $"{beside} holds plugins but plugins_dir is not set: they are not backed up (set plugins_dir: {beside})";
        }
    }

    public IEnumerable<(string Key, SecretValue? Value)> Secrets(ComponentConfig component) =>
        component is GrafanaComponent g ? [("api_token", g.ApiToken)] : [];

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is GrafanaComponent g
        ? [("database", g.Database), ("config_file", g.ConfigFile), ("provisioning_dir", g.ProvisioningDir), ("plugins_dir", g.PluginsDir),
            ("url", Configuration.ConfigRedaction.Text(g.Url?.OriginalString)), ("api_token", Configuration.ConfigDocument.Secret(g.ApiToken))]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new GrafanaAdapter(services.RepositoryEncrypted);

    public ItemClass ClassOf(string relative) => relative.Split('/')[0] == Database ? ItemClass.Data : ItemClass.Config;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component)
    {
        var g = (GrafanaComponent)component;
        var items = new List<LiveItem> { new(Database, g.Database) };
        if (g.ConfigFile is { } ini)
        {
            items.Add(new LiveItem(Ini, ini));
        }

        if (g.ProvisioningDir is { } provisioning)
        {
            items.Add(new LiveItem(Provisioning, provisioning));
        }

        if (g.PluginsDir is { } plugins)
        {
            items.Add(new LiveItem(Plugins, plugins));
        }

        return items;
    }

    public IEngineProbe Probe(EngineServices services) => new GrafanaProbe(services.Http);

    private sealed class GrafanaProbe(HttpClient http) : HttpProbe(http, c => ((GrafanaComponent)c).Url, "api/health", "api/health")
    {
        /// <summary>The live database passes integrity_check with the row counts recorded at backup.</summary>
        public override Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken)
        {
            var g = (GrafanaComponent)component;
            var report = GrafanaDatabaseCheck.Run(g.Database, cancellationToken);
            if (!report.IsIntact)
            {
                return Task.FromResult<(string?, string)>(($"{g.Database} failed integrity_check: {string.Join("; ", report.IntegrityMessages.Take(3))}", string.Empty));
            }

            var differ = (section.Checks ?? []).Where(c => GrafanaDatabaseCheck.Tables.Contains(c.Key) && report.RowCounts.GetValueOrDefault(c.Key, -1) != c.Value)
                .Select(c => $"{c.Key}: {report.RowCounts.GetValueOrDefault(c.Key, 0)} rows, the backup had {c.Value}").ToList();
            var counts = "integrity_check ok; rows: " + string.Join(", ", report.RowCounts.Select(c => $"{c.Key} {c.Value}"));
            return Task.FromResult<(string?, string)>(differ.Count == 0 ? (null, counts) : ($"{g.Database}: row counts differ from the backup ({string.Join(", ", differ)})", counts));
        }
    }
}
