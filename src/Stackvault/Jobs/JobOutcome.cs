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
    // Trigger and TierCopies have setters, not init accessors: the source-generated JSON of status.json passes an
    // init-only property to the object initializer even when the JSON lacks it, replacing the default below with
    // null (dotnet/runtime#84484); a settable one is set only when present, as the reflection serializer did.

    /// <summary>Why the run happened: manual (one-shot CLI), schedule, or catch-up (after missed due times).</summary>
    public string Trigger { get; set; } = "manual";

    public List<TierCopyRecord> TierCopies { get; set; } = [];

    public RetentionRecord? Retention { get; set; }

    [JsonIgnore]
    public JobResult? Result { get; init; }

    [JsonIgnore]
    public Exception? Exception { get; init; }

    public bool IsSuccess => Status == JobStatus.Success;
}
