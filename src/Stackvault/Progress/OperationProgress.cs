namespace Stackvault.Progress;

/// <summary>
/// Live counters of a long operation (backup, restore, verify, prune, copy, export, bucket backup and restore, drill),
/// updated from any thread and read by the CLI's progress display. "Done" counts what is finished, including what
/// was skipped as unchanged, so the share done reaches 100 %. Totals are -1 until known (a scan may finish later
/// than the operation starts); a total may also be raised as the operation discovers more work.
/// </summary>
public class OperationProgress
{
    private readonly OperationProgress? _parent;
    private long _files;
    private long _bytes;
    private long _errors;
    private long _totalFiles = -1;
    private long _totalBytes = -1;
    private volatile string? _currentPath;

    public OperationProgress()
    {
    }

    /// <summary>
    /// A step of a larger operation (one component's restore in a drill): it keeps its own totals, and what it
    /// finishes (files, bytes, errors) counts for <paramref name="parent"/> as well.
    /// </summary>
    public OperationProgress(OperationProgress parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        _parent = parent;
    }

    public long Files => Interlocked.Read(ref _files);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Files the operation will handle in all, or -1 while unknown.</summary>
    public long TotalFiles
    {
        get => Interlocked.Read(ref _totalFiles);
        set => Interlocked.Exchange(ref _totalFiles, value);
    }

    /// <summary>Bytes the operation will handle in all, or -1 while unknown.</summary>
    public long TotalBytes
    {
        get => Interlocked.Read(ref _totalBytes);
        set => Interlocked.Exchange(ref _totalBytes, value);
    }

    /// <summary>The item being worked on (a path, an object name), for display only.</summary>
    public string? CurrentPath
    {
        get => _currentPath;
        set => _currentPath = value;
    }

    /// <summary>One file (or object) finished; <paramref name="bytes"/> not yet counted by <see cref="AddBytes"/> are added.</summary>
    public void AddFile(long bytes = 0)
    {
        Interlocked.Increment(ref _files);
        if (bytes != 0)
        {
            Interlocked.Add(ref _bytes, bytes);
        }

        _parent?.AddFile(bytes);
    }

    /// <summary>Bytes finished inside a file still in progress.</summary>
    public void AddBytes(long bytes)
    {
        Interlocked.Add(ref _bytes, bytes);
        _parent?.AddBytes(bytes);
    }

    public void AddError()
    {
        Interlocked.Increment(ref _errors);
        _parent?.AddError();
    }

    /// <summary>
    /// Everything up to a known point is done (a copied snapshot, a drilled component), including what was skipped
    /// without being counted: files and bytes done become at least these. Never lowers a counter.
    /// </summary>
    public void AdvanceTo(long files, long bytes)
    {
        Max(ref _files, files);
        Max(ref _bytes, bytes);
    }

    private static void Max(ref long counter, long value)
    {
        var current = Interlocked.Read(ref counter);
        while (current < value && Interlocked.CompareExchange(ref counter, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }

    /// <summary>Sets both totals at once (for an operation that knows its work up front: a restore, a verify).</summary>
    public void SetTotals(long files, long bytes)
    {
        TotalFiles = files;
        TotalBytes = bytes;
    }

    /// <summary>
    /// The operation finished all its work: the totals become what was done, so the last report shows 100 %
    /// (a scan may have been cut short, or the source changed while it was read).
    /// </summary>
    public void Finish() => SetTotals(Files, Bytes);

    /// <summary>A consistent-enough copy of the counters, for one display refresh.</summary>
    public ProgressSnapshot Snapshot() => new(Files, Bytes, Errors, TotalFiles, TotalBytes, CurrentPath);
}

/// <summary>The counters of an <see cref="OperationProgress"/> at one moment.</summary>
public readonly record struct ProgressSnapshot(long Files, long Bytes, long Errors, long TotalFiles, long TotalBytes, string? CurrentPath)
{
    /// <summary>The share done, 0..1, by bytes when a byte total is known, else by files; null while neither is.</summary>
    public double? PercentDone =>
        TotalBytes > 0 ? Math.Clamp((double)Bytes / TotalBytes, 0, 1)
        : TotalFiles > 0 ? Math.Clamp((double)Files / TotalFiles, 0, 1)
        : TotalBytes == 0 || TotalFiles == 0 ? 1
        : null;
}
