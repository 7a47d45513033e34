namespace Stackvault.Backup;

/// <summary>
/// One thing to back up and where it goes in the snapshot: a real file or directory stored at
/// <see cref="SnapshotPath"/> (the same path, for plain <c>backup PATH</c>; a component's own place, such as
/// <c>/prom/data</c>, for adapters), or a stream (a command's stdout, a pg_dump) stored as one file.
/// </summary>
public sealed record BackupSource
{
    private BackupSource(string snapshotPath, string? realPath, Func<CancellationToken, ValueTask<Stream>>? openStream, uint mode)
    {
        SnapshotPath = Normalize(snapshotPath);
        RealPath = realPath is null ? null : Path.GetFullPath(realPath).TrimEnd('/');
        OpenStream = openStream;
        Mode = mode;
    }

    /// <summary>Absolute path inside the snapshot, without a trailing '/'.</summary>
    public string SnapshotPath { get; }

    /// <summary>The file or directory read, or null for a stream.</summary>
    public string? RealPath { get; }

    public Func<CancellationToken, ValueTask<Stream>>? OpenStream { get; }

    /// <summary>For a virtual directory (a bucket's objects): its files, by path relative to <see cref="SnapshotPath"/>; else null.</summary>
    public IReadOnlyList<VirtualFile>? Files { get; private init; }

    /// <summary>Permission bits recorded for a stream's file.</summary>
    public uint Mode { get; }

    /// <summary>True when the snapshot path is the real path (plain <c>backup PATH</c>): parents keep real metadata.</summary>
    public bool Mirrors => RealPath == SnapshotPath;

    public static BackupSource ForPath(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        return new BackupSource(full.Length == 0 ? "/" : full, full.Length == 0 ? "/" : full, null, 0);
    }

    public static BackupSource At(string snapshotPath, string realPath) => new(snapshotPath, realPath, null, 0);

    public static BackupSource FromStream(string snapshotPath, Func<CancellationToken, ValueTask<Stream>> open, uint mode = 0x180) =>
        new(snapshotPath, null, open, mode);

    /// <summary>
    /// A directory that exists only in the snapshot, filled with <paramref name="files"/> read from streams (objects of
    /// a bucket). A file whose size and ETag equal its parent snapshot's node is not read again.
    /// </summary>
    public static BackupSource FromFiles(string snapshotPath, IReadOnlyList<VirtualFile> files) =>
        new(snapshotPath, null, null, 0) { Files = files };

    private static string Normalize(string path)
    {
        if (!path.StartsWith('/') || path.Split('/').Any(part => part is "." or ".."))
        {
            throw new Errors.UsageException($"snapshot path '{path}' must be absolute and without '.' or '..'");
        }

        var trimmed = string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return "/" + trimmed;
    }
}
