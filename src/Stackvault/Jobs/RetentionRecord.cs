namespace Stackvault.Jobs;

/// <summary>
/// What retention did in one repository after a complete run: snapshots forgotten, and when; <paramref name="Pruned"/>
/// is true when a prune followed and finished (it sets stackvault_prune_last_success_timestamp_seconds);
/// <paramref name="Policy"/> which retention applied (the job's or the repository's, with its rules) and
/// <paramref name="Kept"/> which rule keeps each remaining snapshot (<c>stackvault status</c> shows them per tier).
/// </summary>
public sealed record RetentionRecord(int RemovedSnapshots, DateTimeOffset At, bool Pruned = false, string? Policy = null, IReadOnlyList<KeptSnapshot>? Kept = null);
