namespace Stackvault.Repository.Model;

/// <summary>
/// One component of a job run, recorded in the snapshot manifest: how its consistent source was made, where it is in
/// the snapshot, whether it is complete, and the engine-level counts checked at backup time. Never holds a secret.
/// </summary>
public sealed class ComponentSection
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The component's <c>type:</c> (files, command, prometheus, grafana, ...).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>
    /// The engine's version when it tells it (Prometheus and Loki/Tempo build info, Grafana <c>/api/health</c> when
    /// <c>url</c> is set, PostgreSQL <c>server_version</c>), else absent.
    /// </summary>
    public string? EngineVersion { get; set; }

    /// <summary>How the consistent source was made: prometheus-snapshot-api, sqlite-online-backup, files, command-stdout.</summary>
    public string Method { get; set; } = string.Empty;

    /// <summary>Where the data came from (a URL or a path; never a secret, never a command line).</summary>
    public string? Source { get; set; }

    /// <summary>The component's directory in the snapshot, <c>/&lt;name&gt;</c>.</summary>
    public string SnapshotPath { get; set; } = string.Empty;

    /// <summary><see cref="ComponentStatus"/>: complete, partial or failed.</summary>
    public ComponentStatus Status { get; set; } = ComponentStatus.Complete;

    public string? Error { get; set; }

    /// <summary>Wall time of the component's prepare step (the engine snapshot, the database copy).</summary>
    public double DurationSeconds { get; set; }

    /// <summary>The bytes of file content stored under <see cref="SnapshotPath"/> (before dedup and compression); absent when 0.</summary>
    public long Size { get; set; }

    /// <summary>Named counts checked at backup time, e.g. Grafana table rows, Prometheus blocks and samples.</summary>
    public Dictionary<string, long>? Checks { get; set; }
}
