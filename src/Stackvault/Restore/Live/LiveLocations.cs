using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Restore.Live;

/// <summary>
/// Where a component's data lives, from stackvault.yaml: the items a live restore swaps. Prometheus: the snapshot's
/// <c>data</c> becomes <c>data_dir</c>; Loki and Tempo: the component directory becomes <c>data_dir</c>; Grafana:
/// <c>grafana.db</c>, <c>grafana.ini</c> and <c>provisioning</c> go to <c>database</c>, <c>config_file</c> and
/// <c>provisioning_dir</c>; files: each path goes back where it was. PostgreSQL goes through pg_restore instead.
/// </summary>
public static class LiveLocations
{
    public static IReadOnlyList<LiveItem> For(ComponentConfig component) => component switch
    {
        PrometheusComponent p => [new LiveItem("data", p.DataDir)],
        LokiComponent l => [new LiveItem(string.Empty, l.DataDir)],
        TempoComponent t => [new LiveItem(string.Empty, t.DataDir)],
        GrafanaComponent g => [
            new LiveItem("grafana.db", g.Database),
            .. g.ConfigFile is { } ini ? [new LiveItem("grafana.ini", ini)] : Array.Empty<LiveItem>(),
            .. g.ProvisioningDir is { } provisioning ? [new LiveItem("provisioning", provisioning)] : Array.Empty<LiveItem>()],
        FilesComponent f => [.. f.Paths.Select(path => new LiveItem(path.Trim('/'), path.TrimEnd('/')))],
        _ => throw new StackvaultException(
            $"component {component.Name} (type {component.Type}) has no live location to restore into: use --target DIR", ExitCode.Usage),
    };

    /// <summary>SQLite's companion files of a database: moved aside with it, so a stale WAL is never replayed into the restored copy.</summary>
    public static IReadOnlyList<string> Companions(ComponentConfig component, LiveItem item) =>
        component is GrafanaComponent && item.Relative == "grafana.db" ? [item.LivePath + "-wal", item.LivePath + "-shm", item.LivePath + "-journal"] : [];
}
