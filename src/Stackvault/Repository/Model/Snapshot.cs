namespace Stackvault.Repository.Model;

/// <summary>A snapshot manifest, the commit point of a backup. Stored as a document in snapshots/.</summary>
public sealed class Snapshot
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public DateTimeOffset Time { get; set; }

    public ObjectId Tree { get; set; }

    public List<string> Paths { get; set; } = [];

    public string Hostname { get; set; } = string.Empty;

    public string Username { get; set; } = string.Empty;

    public List<string> Tags { get; set; } = [];

    public ObjectId? Parent { get; set; }

    public SnapshotStatus Status { get; set; } = SnapshotStatus.Complete;

    public List<SnapshotError> Errors { get; set; } = [];

    public string ProgramVersion { get; set; } = string.Empty;

    public SnapshotSummary? Summary { get; set; }

    /// <summary>One section per component of a job run; null (omitted) for a plain <c>backup PATH</c>.</summary>
    public List<ComponentSection>? Components { get; set; }

    /// <summary>
    /// For a copy (<c>stackvault copy</c>, a job's <c>copy_to</c>): the id of the snapshot it was first made as, in the
    /// repository the backup wrote (a copy of a copy keeps the first id). Null (omitted) for a snapshot made by backup.
    /// </summary>
    public ObjectId? Original { get; set; }
}
