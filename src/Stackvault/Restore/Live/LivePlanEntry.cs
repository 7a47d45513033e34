namespace Stackvault.Restore.Live;

/// <summary>
/// One line of a live restore plan: <see cref="Action"/> is <c>create</c> (nothing lives there yet), <c>replace</c>
/// (the live item is moved aside as <c>*.pre-restore-TIME</c>) or <c>leave</c> (left alone: not in the snapshot).
/// </summary>
public sealed record LivePlanEntry(
    string Component,
    string Item,
    string LivePath,
    string Action,
    long SnapshotFiles,
    long SnapshotBytes,
    long LiveFiles,
    string? Note)
{
    public const string Create = "create";
    public const string Replace = "replace";
    public const string Leave = "leave";
}
