using System.Text.Json.Serialization;

namespace Stackvault.Jobs;

/// <summary>
/// What one run of a job did, for the status file, metrics, logs and notifications: never a secret. A failure before
/// a snapshot was written has no snapshot id and sizes of 0. <see cref="TierCopies"/> and <see cref="Retention"/>
/// are filled by the aftercare step; <see cref="Result"/> and <see cref="Exception"/> are for the CLI's rendering.
/// </summary>
public sealed record JobOutcome(
    string Job,
    string Repository,
    JobStatus Status,
    DateTimeOffset Start,
    double DurationSeconds,
    string? SnapshotId,
    long SizeBytes,
    long AddedBytes,
    IReadOnlyList<ComponentOutcome> Components,
    string? Error)
{
    /// <summary>Why the run happened: manual (one-shot CLI), schedule, or catch-up (after missed due times).</summary>
    public string Trigger { get; init; } = "manual";

    public List<TierCopyRecord> TierCopies { get; init; } = [];

    public RetentionRecord? Retention { get; set; }

    [JsonIgnore]
    public JobResult? Result { get; init; }

    [JsonIgnore]
    public Exception? Exception { get; init; }

    public bool IsSuccess => Status == JobStatus.Success;
}
