namespace Stackvault.Repository;

/// <summary>Per-blob flags stored in pack headers and index files.</summary>
[Flags]
public enum BlobFlags : byte
{
    /// <summary>The payload is the raw blob.</summary>
    None = 0,

    /// <summary>The payload is one zstd frame of the blob.</summary>
    Zstd = 1,
}
