namespace Stackvault.Buckets;

/// <summary>What a key is: its role, tenant ("" when the layout has none), block id and file within the block (or the marker's name).</summary>
public sealed record KeyKind(KeyRole Role, string Tenant, string? Block, string? File);
