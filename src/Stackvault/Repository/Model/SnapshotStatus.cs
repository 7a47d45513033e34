namespace Stackvault.Repository.Model;

/// <summary>A snapshot's status: complete, or partial when some source items could not be read.</summary>
public static class SnapshotStatus
{
    public const string Complete = "complete";
    public const string Partial = "partial";
}
