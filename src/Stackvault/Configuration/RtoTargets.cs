namespace Stackvault.Configuration;

/// <summary>
/// A job's recovery time objectives (<c>rto:</c>, like <c>rpo:</c>): how long restoring one configuration component
/// (Grafana, files, commands, Kubernetes objects) and one data component (Prometheus, Loki, Tempo, PostgreSQL,
/// buckets) may take, and optionally the whole job. <c>rto: 30m</c> sets all three; <c>rto: {config: 2m, data: 30m,
/// total: 45m}</c> each. Unset parts default to the seeds' recovery matrix: configuration within 5 minutes, data
/// within an hour, no total.
/// </summary>
public sealed record RtoTargets(TimeSpan Config, TimeSpan Data, TimeSpan? Total)
{
    public static readonly TimeSpan DefaultConfig = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultData = TimeSpan.FromHours(1);

    public static RtoTargets Default { get; } = new(DefaultConfig, DefaultData, null);

    /// <summary>The target of one component: <paramref name="data"/> for a data component, else configuration.</summary>
    public TimeSpan For(bool data) => data ? Data : Config;

    /// <summary>Whether a drill met the targets: every component within its own, and the sum within <see cref="Total"/>.</summary>
    public bool Met(double totalSeconds, IEnumerable<bool> componentsMet) =>
        componentsMet.All(m => m) && (Total is not { } total || totalSeconds <= total.TotalSeconds);

    /// <summary>The target a drill's total is shown against: <see cref="Total"/>, else the largest per-component target that applied.</summary>
    public double TargetSeconds(bool anyData) => (Total ?? (anyData ? Data : Config)).TotalSeconds;

    /// <summary><c>rto:</c> of a job: a duration (every target) or a mapping of config, data and total; null when absent.</summary>
    internal static RtoTargets Read(ConfigReader reader, YMapping job, string jobPath)
    {
        var node = job["rto"];
        if (node is null)
        {
            return Default;
        }

        var path = ConfigReader.Child(jobPath, "rto");
        if (node is YScalar)
        {
            return reader.Duration(job, jobPath, "rto") is { } all ? new RtoTargets(all, all, all) : Default;
        }

        var map = reader.Mapping(node, path, ["config", "data", "total"]);
        if (map is null)
        {
            return Default;
        }

        return new RtoTargets(
            reader.Duration(map, path, "config") ?? DefaultConfig,
            reader.Duration(map, path, "data") ?? DefaultData,
            reader.Duration(map, path, "total"));
    }
}
