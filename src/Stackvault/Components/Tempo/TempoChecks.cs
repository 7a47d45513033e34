namespace Stackvault.Components.Tempo;

/// <summary>The names of the counts a Tempo backup records in its section and a drill compares.</summary>
public static class TempoChecks
{
    public const string Tenants = "tenants";
    public const string Blocks = "blocks";
    public const string PartialBlocks = "partial_blocks";
    public const string CompactedBlocks = "compacted_blocks";
    public const string DeletedBlocks = "deleted_blocks";

    /// <summary>Every block directory the source held, whatever its state: a backup that stored none of them fails its drill.</summary>
    public const string SourceBlocks = "source_blocks";
    public const string Flushed = "flushed";
}
