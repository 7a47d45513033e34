namespace Stackvault.Repository.Model;

/// <summary>What a backup did, recorded in its snapshot.</summary>
public sealed class SnapshotSummary
{
    public long FilesNew { get; set; }

    public long FilesChanged { get; set; }

    public long FilesUnmodified { get; set; }

    public long DirsNew { get; set; }

    public long DirsChanged { get; set; }

    public long DirsUnmodified { get; set; }

    public long DataBlobs { get; set; }

    public long TreeBlobs { get; set; }

    /// <summary>Plaintext bytes of the new blobs.</summary>
    public long DataAdded { get; set; }

    /// <summary>Bytes of the new blobs as stored (compressed, sealed).</summary>
    public long DataAddedPacked { get; set; }

    public long TotalFilesProcessed { get; set; }

    /// <summary>Bytes of all files in the snapshot, read or reused from the parent.</summary>
    public long TotalBytesProcessed { get; set; }

    /// <summary>Bytes actually read from the source (unchanged files are not read).</summary>
    public long BytesRead { get; set; }

    public DateTimeOffset BackupStart { get; set; }

    public DateTimeOffset BackupEnd { get; set; }
}
