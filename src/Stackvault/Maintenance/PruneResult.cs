namespace Stackvault.Maintenance;

/// <summary>What prune found and did (or, with --dry-run, would do). Sizes are stored bytes.</summary>
public sealed class PruneResult
{
    public bool DryRun { get; init; }

    /// <summary>True when the repository was already clean and nothing was written or deleted.</summary>
    public bool NothingToDo { get; set; }

    public int Snapshots { get; set; }

    public long UsedBlobs { get; set; }

    public int IndexFilesRead { get; set; }

    public int IndexFilesWritten { get; set; }

    public int IndexFilesDeleted { get; set; }

    public int PacksIndexed { get; set; }

    public int PacksKept { get; set; }

    public int PacksUnused { get; set; }

    public int PacksRepacked { get; set; }

    public int PacksWritten { get; set; }

    public int PacksDeleted { get; set; }

    public int IndexedPacksMissing { get; set; }

    /// <summary>Packs in no index that were already recorded by the previous prune: deleted now.</summary>
    public int OrphansDeleted { get; set; }

    /// <summary>Packs in no index seen for the first time: recorded, deleted by the next prune if still unindexed.</summary>
    public int OrphansPending { get; set; }

    public long BytesBefore { get; set; }

    public long BytesUnusedBefore { get; set; }

    public long BytesRepacked { get; set; }

    /// <summary>Bytes of the packs deleted (or to delete).</summary>
    public long BytesDeleted { get; set; }

    /// <summary>Bytes of the new packs repacking wrote.</summary>
    public long BytesWritten { get; set; }

    /// <summary>Leftovers of killed writers removed: temporary files, incomplete multipart uploads (older than an hour).</summary>
    public int AbandonedRemoved { get; set; }

    public long AbandonedBytes { get; set; }

    /// <summary>Why the storage could not sweep leftovers, or null.</summary>
    public string? SweepNote { get; set; }

    /// <summary>Snapshots that could not be read and were left out (their data counts as unreferenced).</summary>
    public List<string> UnreadableSnapshots { get; } = [];

    /// <summary>References to blobs in no pack (after 'repair index'); 'repair snapshots' drops them.</summary>
    public int LostBlobs { get; set; }

    /// <summary>Short ids of the snapshots that reference lost blobs.</summary>
    public List<string> SnapshotsNeedingLostData { get; } = [];

    public long BytesAfter => BytesBefore - BytesDeleted + BytesWritten;
}
