using Stackvault.Chunking;
using Stackvault.Repository;
using Stackvault.Repository.Packing;

namespace Stackvault.Backup;

/// <summary>Reads one file, cuts it into content-defined chunks, and hands new chunks to the blob writer.</summary>
internal sealed class FileArchiver(Repository.Repository repository, BlobWriter writer, FastCdc chunker, BackupProgress progress)
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
        var content = new List<ObjectId>();
        long size = 0;
        using var reader = new ChunkReader(stream, chunker, leaveOpen: true);
        while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
        {
            var length = chunk.Data.Length;
            var id = repository.Blobs.Hasher.ComputeId(chunk.Data.Span);
            content.Add(id);
            size += length;
            await writer.SaveAsync(BlobType.Data, id, chunk.Data, chunk, cancellationToken).ConfigureAwait(false);
            progress.AddRead(length);
        }

        return (content, size);
    }
}
