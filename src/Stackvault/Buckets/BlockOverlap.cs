namespace Stackvault.Buckets;

/// <summary>Two blocks of one tenant whose time ranges overlap (normal before compaction; worth knowing after).</summary>
public sealed record BlockOverlap(string Tenant, string First, string Second, long From, long To);
