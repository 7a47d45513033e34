using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Backup;

/// <summary>The outcome of a backup: the snapshot written (null when interrupted before the commit point).</summary>
public sealed record BackupResult(ObjectId? SnapshotId, Snapshot Snapshot, ObjectId? ParentId)
{
    public bool IsPartial => Snapshot.Status == SnapshotStatus.Partial;
}
