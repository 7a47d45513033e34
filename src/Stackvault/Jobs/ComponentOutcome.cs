namespace Stackvault.Jobs;

/// <summary>One component of a job run: complete, partial or failed (the manifest's words), its prepare time and stored size.</summary>
public sealed record ComponentOutcome(string Name, string Type, Repository.Model.ComponentStatus Status, double DurationSeconds, long SizeBytes, string? Error);
