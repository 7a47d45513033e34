using Stackvault.Components;

namespace Stackvault.Drill;

/// <summary>
/// The recovery time objectives of the operators' recovery matrix: configuration is back within 5 minutes, data within
/// an hour. Each engine says which it is (<see cref="IEngine.Recovery"/>): Grafana (its database is configuration:
/// dashboards, datasources, alert rules), files, command output and Kubernetes objects count as configuration;
/// Prometheus, Loki, Tempo, PostgreSQL and buckets as data.
/// </summary>
public static class DrillTargets
{
    public static readonly TimeSpan Config = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan Data = TimeSpan.FromHours(1);

    public static bool IsData(string type) => EngineCatalog.Find(type)?.Recovery == ItemClass.Data;

    public static TimeSpan For(string type) => IsData(type) ? Data : Config;
}
