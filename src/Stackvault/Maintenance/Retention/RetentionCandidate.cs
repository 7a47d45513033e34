namespace Stackvault.Maintenance.Retention;

/// <summary>What the policy needs to know of one snapshot.</summary>
public sealed record RetentionCandidate(string Id, DateTimeOffset Time, IReadOnlyList<string> Tags, bool Complete);
