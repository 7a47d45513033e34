namespace Stackvault.Repository;

/// <summary>
/// Where a blob lives: the pack (by its position in the master index's pack table), the byte range of its sealed
/// payload inside the pack, and its plaintext length. 56 bytes with the id, padding included.
/// </summary>
public readonly record struct BlobLocation(
    ObjectId Id,
    BlobType Type,
    BlobFlags Flags,
    int PackIndex,
    uint Offset,
    uint Length,
    uint RawLength);
