using Stackvault.Repository;

namespace Stackvault.Maintenance;

/// <summary>
/// One indexed pack as prune sees it: its entries, its stored size, and which of its blobs are "kept here" (used by a
/// snapshot, and this pack is the copy the master index resolves to; other copies of a blob count as unused).
/// </summary>
internal sealed class PackUsage(ObjectId packId, List<PackEntry> entries, long size)
{
    public ObjectId PackId { get; } = packId;

    public List<PackEntry> Entries { get; } = entries;

    /// <summary>Stored size of the pack object (0 when the pack is missing).</summary>
    public long Size { get; } = size;

    public List<PackEntry> Used { get; } = [];

    public long UsedBytes => Used.Sum(e => (long)e.Length);

    public long UnusedBytes => Entries.Sum(e => (long)e.Length) - UsedBytes;

    public bool IsUnused => Used.Count == 0;

    public bool IsFullyUsed => Used.Count == Entries.Count;
}
