namespace Stackvault.Backup;

/// <summary>Live counters of a running backup, read by the progress display.</summary>
public sealed class BackupProgress
{
    private long _files;
    private long _bytes;
    private long _errors;

    public long Files => Interlocked.Read(ref _files);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Totals from the scanner, when it has finished (else -1).</summary>
    public long TotalFiles { get; set; } = -1;

    public long TotalBytes { get; set; } = -1;

    public string? CurrentPath { get; set; }

    internal void AddFile(long bytes)
    {
        Interlocked.Increment(ref _files);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void AddError() => Interlocked.Increment(ref _errors);
}
