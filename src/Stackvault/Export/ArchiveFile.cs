using Stackvault.Platform;

namespace Stackvault.Export;

/// <summary>
/// An archive written to <c>FILE.partial</c> and renamed to FILE only by <see cref="CommitAsync"/> (after an fsync), so
/// a failed or interrupted export never leaves a truncated FILE that looks complete. Disposing without committing
/// deletes the partial file.
/// </summary>
public sealed class ArchiveFile : IAsyncDisposable
{
    private readonly FileStream _stream;
    private bool _committed;

    public ArchiveFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        PartialPath = Path + ".partial";
        _stream = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
    }

    public string Path { get; }

    public string PartialPath { get; }

    public Stream Stream => _stream;

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.Flush(flushToDisk: true);
        await _stream.DisposeAsync().ConfigureAwait(false);
        File.Move(PartialPath, Path, overwrite: true);
        Posix.FsyncDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_committed)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            File.Delete(PartialPath);
        }
    }
}
