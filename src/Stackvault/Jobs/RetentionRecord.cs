namespace Stackvault.Jobs;

/// <summary>
/// What retention did after a complete run: snapshots forgotten, and when; <paramref name="Pruned"/> is true when a
/// prune followed and finished (it sets stackvault_prune_last_success_timestamp_seconds).
/// </summary>
public sealed record RetentionRecord(int RemovedSnapshots, DateTimeOffset At, bool Pruned = false);
