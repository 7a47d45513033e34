using Stackvault.Repository;

namespace Stackvault.Maintenance;

/// <summary>Prune's classification of every pack, decided before anything is written.</summary>
internal sealed class PrunePlan
{
    /// <summary>Indexed packs kept as they are (fully used, or partly used within --max-unused).</summary>
    public List<PackUsage> Keep { get; } = [];

    /// <summary>Partly used packs whose used blobs move into new packs; then deleted.</summary>
    public List<PackUsage> Repack { get; } = [];

    /// <summary>Indexed packs no snapshot needs: dropped from the index, then deleted.</summary>
    public List<PackUsage> Unused { get; } = [];

    /// <summary>Indexed packs that are absent and hold nothing used: dropped from the index.</summary>
    public List<PackUsage> Missing { get; } = [];

    /// <summary>Packs in no index that the previous prune recorded already: deleted.</summary>
    public List<ObjectId> DeletableOrphans { get; } = [];

    /// <summary>Packs in no index seen for the first time: recorded in the new index file, kept.</summary>
    public List<ObjectId> NewOrphans { get; } = [];

    public bool IsNoOp(int indexFiles, int pendingOrphans) =>
        Repack.Count == 0 && Unused.Count == 0 && Missing.Count == 0 && DeletableOrphans.Count == 0
        && NewOrphans.Count == 0 && indexFiles <= 1 && pendingOrphans == 0;
}
