namespace Stackvault.Drill;

/// <summary>
/// The recovery time objectives of the operators' recovery matrix: configuration is back within 5 minutes, data within
/// an hour. Grafana (its database is configuration: dashboards, datasources, alert rules), files, command output and
/// Kubernetes objects count as configuration; Prometheus, Loki, Tempo, PostgreSQL and buckets as data.
/// </summary>
public static class DrillTargets
{
    public static readonly TimeSpan Config = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Data = TimeSpan.FromHours(1);

    public static bool IsData(string type) => type is "prometheus" or "loki" or "tempo" or "postgres" or "bucket";

    public static TimeSpan For(string type) => IsData(type) ? Data : Config;
}
