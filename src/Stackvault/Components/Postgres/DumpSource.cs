namespace Stackvault.Components.Postgres;

/// <summary>
/// The dump a restore reads: a local file, or a stream opened on demand (a file read straight out of a snapshot,
/// <see cref="Restore.SnapshotFile"/>). <see cref="Name"/> names it in every message.
/// </summary>
public sealed class DumpSource
{
    private readonly Func<Stream> _open;

    private DumpSource(string name, string? localPath, Func<Stream> open)
    {
        Name = name;
        LocalPath = localPath;
        _open = open;
    }

    public string Name { get; }

    /// <summary>The file on disk, or null for a stream (a custom-format dump is then staged for pg_restore --jobs).</summary>
    public string? LocalPath { get; }

    public static DumpSource FromFile(string path) => new(path, path, () => File.OpenRead(path));

    public static DumpSource FromSnapshot(Restore.SnapshotFile file, string snapshot) => new($"{snapshot}:{file.Path}", null, file.Open);

    /// <summary>A new stream from the dump's first byte; the caller disposes it.</summary>
    public Stream Open() => _open();
}
