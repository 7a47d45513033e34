namespace Stackvault.Buckets;

/// <summary>The states of a block in a bucket report.</summary>
public static class BlockState
{
    /// <summary>meta.json present and every file it lists present with its size.</summary>
    public const string Complete = "complete";

    /// <summary>No meta.json: an upload in progress or abandoned; skipped unless kept.</summary>
    public const string Partial = "partial";

    /// <summary>meta.json unreadable, or a file it lists missing or of another size: backed up, the snapshot is partial.</summary>
    public const string Corrupt = "corrupt";

    /// <summary>Marked for deletion: left out unless kept.</summary>
    public const string Marked = "marked";
}
