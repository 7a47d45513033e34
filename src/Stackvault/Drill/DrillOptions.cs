using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>What to drill and with what.</summary>
public sealed class DrillOptions
{
    /// <summary>The job whose snapshot is drilled.</summary>
    public string Job { get; init; } = string.Empty;

    /// <summary>A snapshot id (prefix) or <c>latest</c>: the latest snapshot tagged <c>job:&lt;Job&gt;</c>.</summary>
    public string Snapshot { get; init; } = "latest";

    /// <summary>Scratch space: every component is restored below it. It must not exist yet or be empty; it is deleted afterwards.</summary>
    public string ScratchDirectory { get; init; } = string.Empty;

    /// <summary>Keep the scratch directory (for inspection) instead of deleting it.</summary>
    public bool KeepScratch { get; init; }

    public string PrometheusBinary { get; init; } = "prometheus";

    public string PromtoolBinary { get; init; } = "promtool";

    /// <summary>How long a Prometheus started on restored blocks may take to become ready (WAL replay, block loading).</summary>
    public TimeSpan EngineStartTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>PromQL queries that the restored Prometheus must answer with at least one series (evaluated at the end of the backed-up range).</summary>
    public IReadOnlyList<string> PrometheusQueries { get; init; } = ["up", "count({__name__=~\".+\"})"];

    /// <summary>pg_restore --jobs for the scratch database.</summary>
    public int PostgresJobs { get; init; } = 2;

    /// <summary>
    /// Counters of the drill: the bytes restored against the components' sizes recorded at backup, the phase
    /// ("grafana: restore", "grafana: check") as the current item; null when nobody watches.
    /// </summary>
    public Progress.OperationProgress? Progress { get; init; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Job))
        {
            throw new UsageException("drill needs --job NAME");
        }

        if (string.IsNullOrWhiteSpace(ScratchDirectory))
        {
            throw new UsageException("drill needs a scratch directory");
        }

        if (Directory.Exists(ScratchDirectory) && Directory.EnumerateFileSystemEntries(ScratchDirectory).Any())
        {
            throw new UsageException($"the scratch directory {ScratchDirectory} is not empty: give a new or empty directory");
        }

        if (PostgresJobs < 1)
        {
            throw new UsageException("the pg_restore jobs must be at least 1");
        }
    }
}
