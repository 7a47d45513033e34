namespace Stackvault.Repair;

/// <summary>What <c>repair index</c> found and did.</summary>
public sealed class IndexRepairResult
{
    public bool DryRun { get; init; }

    public int IndexFilesRead { get; set; }

    public List<string> IndexFilesUnreadable { get; } = [];

    public int PacksStored { get; set; }

    /// <summary>Packs whose entries came from a readable index file and whose size matched them.</summary>
    public int PacksFromIndex { get; set; }

    /// <summary>Packs whose header was read (not indexed, size mismatch, or every pack with --read-all-packs).</summary>
    public int PacksHeaderRead { get; set; }

    /// <summary>Packs whose header could not be read: not indexed (prune deletes them; salvage first if needed).</summary>
    public List<string> PacksDamaged { get; } = [];

    /// <summary>Packs an index named that storage no longer has: dropped.</summary>
    public List<string> PacksMissing { get; } = [];

    public int PacksIndexed { get; set; }

    public long BlobsIndexed { get; set; }

    public int IndexFilesWritten { get; set; }

    public int IndexFilesDeleted { get; set; }
}
