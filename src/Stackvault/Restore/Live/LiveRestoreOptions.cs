namespace Stackvault.Restore.Live;

/// <summary>How a live restore runs (<c>restore SNAPSHOT --component NAME|--job NAME</c> without --target).</summary>
public sealed class LiveRestoreOptions
{
    /// <summary>Plan only: what would be created, replaced, left alone.</summary>
    public bool DryRun { get; init; }

    /// <summary>A version mismatch between the snapshot's engine and the running one fails (before anything changes).</summary>
    public bool Strict { get; init; }

    /// <summary>How long to wait for the engine to answer ready after the start hooks.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Prometheus retention for the old-block warning when the component sets none (Prometheus's default 15d).</summary>
    public TimeSpan? PrometheusRetention { get; init; }

    /// <summary>A database engine (<see cref="Components.IDatabaseRestore"/>, PostgreSQL): restore the (single) dump into this database instead of the database it was dumped from.</summary>
    public string? TargetDatabase { get; init; }

    /// <summary>A database engine: replace an existing database (kept as <c>NAME_pre_restore_TIME</c>).</summary>
    public bool Force { get; init; }

    public int PostgresJobs { get; init; } = 2;

    /// <summary>The config file, named in the rollback command printed after a failed check.</summary>
    public string? ConfigPath { get; init; }

    /// <summary><c>--only config|data</c>: restore only the items of this class; the others stay as they are.</summary>
    public Components.ItemClass? Only { get; init; }
}
