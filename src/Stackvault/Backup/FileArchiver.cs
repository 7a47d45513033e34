using Stackvault.Chunking;
using Stackvault.Repository;
using Stackvault.Repository.Packing;

namespace Stackvault.Backup;

/// <summary>
/// Reads one file and cuts it into content-defined chunks; the blob writer's workers hash them (so one large file
/// keeps more than one core busy) and store the new ones.
/// </summary>
internal sealed class FileArchiver(BlobWriter writer, FastCdc chunker, BackupProgress progress)
{
    /// <summary>Returns the chunk ids in order and the bytes read.</summary>
    public async ValueTask<(List<ObjectId> Content, long Size)> ArchiveAsync(string path, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            Options = FileOptions.SequentialScan,
            BufferSize = 0,
        };
        await using var stream = new FileStream(path, options);
        return await ArchiveAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Chunks any stream (a file, a dump's stdout) without holding more than one read window in memory.</summary>
    public async ValueTask<(List<ObjectId> Content, long Size)> ArchiveAsync(Stream stream, CancellationToken cancellationToken)
    {
        var ids = new ChunkIds();
        long size = 0;
        using (var reader = new ChunkReader(stream, chunker, leaveOpen: true))
        {
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                var length = chunk.Length;
                size += length;
                await writer.SaveChunkAsync(chunk.Data, chunk, ids, cancellationToken).ConfigureAwait(false);
                progress.AddRead(length);
            }
        }

        return (await writer.HashedAsync(ids, cancellationToken).ConfigureAwait(false), size);
    }
}
