namespace Stackvault.Restore;

/// <summary>Live counters of a running restore, read by the progress display (bar on a terminal, status lines under --json).</summary>
public sealed class RestoreProgress
{
    private long _files;
    private long _bytes;
    private long _errors;

    public long Files => Interlocked.Read(ref _files);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Totals once the plan is made (else -1).</summary>
    public long TotalFiles { get; internal set; } = -1;

    public long TotalBytes { get; internal set; } = -1;

    /// <summary>Bytes done as a fraction of the total, 0..1 (0 until the plan is made).</summary>
    public double Fraction => TotalBytes > 0 ? Math.Clamp((double)Bytes / TotalBytes, 0, 1) : TotalFiles > 0 ? Math.Clamp((double)Files / TotalFiles, 0, 1) : 0;

    internal void AddFile() => Interlocked.Increment(ref _files);

    internal void AddBytes(long bytes) => Interlocked.Add(ref _bytes, bytes);

    internal void AddError() => Interlocked.Increment(ref _errors);
}
