namespace Stackvault.Copy;

/// <summary>
/// What a copy did. Blob and byte counts are what was written to the destination (<c>DataAdded</c> plaintext bytes,
/// <c>DataAddedPacked</c> stored bytes); <c>BlobsPresent</c> counts data blobs the destination had already
/// (read from the source, or not even read when both repositories compute the same ids), <c>BlobsReused</c> data
/// blobs taken over from an earlier copy without reading them.
/// </summary>
public sealed record CopyResult(
    IReadOnlyList<CopiedSnapshot> Snapshots,
    long DataBlobs,
    long TreeBlobs,
    long DataAdded,
    long DataAddedPacked,
    long Packs,
    long BlobsPresent,
    long BlobsReused)
{
    public int SnapshotsCopied => Snapshots.Count(s => s.Status == CopiedSnapshot.Copied);

    public int SnapshotsSkipped => Snapshots.Count(s => s.Status == CopiedSnapshot.Skipped);
}
