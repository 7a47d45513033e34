namespace Stackvault.Repair;

/// <summary>What <c>repair snapshots</c> found and did.</summary>
public sealed class SnapshotRepairResult
{
    public bool DryRun { get; init; }

    public int SnapshotsChecked { get; set; }

    public int SnapshotsIntact { get; set; }

    /// <summary>Damaged snapshots rewritten: old short id -> new short id (null in a dry run).</summary>
    public List<RepairedSnapshot> Repaired { get; } = [];

    /// <summary>Snapshots with nothing readable left (their root tree is lost): removed with --forget, else kept.</summary>
    public List<string> Unrepairable { get; } = [];

    /// <summary>Snapshot files that cannot be read at all: removed with --forget, else kept.</summary>
    public List<string> Unreadable { get; } = [];

    /// <summary>Snapshot objects deleted (originals of repaired ones, unrepairable and unreadable ones, with --forget).</summary>
    public int SnapshotsRemoved { get; set; }
}

/// <summary>One rewritten snapshot and what it lost.</summary>
public sealed record RepairedSnapshot(string Original, string? Repaired, IReadOnlyList<string> Dropped);
