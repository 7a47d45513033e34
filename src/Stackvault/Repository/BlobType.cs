namespace Stackvault.Repository;

/// <summary>What a blob holds. The numeric values are stored in pack headers and index files.</summary>
public enum BlobType : byte
{
    /// <summary>A chunk of file content.</summary>
    Data = 0,

    /// <summary>A tree: one directory listing, JSON.</summary>
    Tree = 1,
}
