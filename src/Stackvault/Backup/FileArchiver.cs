using Microsoft.Win32.SafeHandles;
using Stackvault.Buffers;
using Stackvault.Chunking;
using Stackvault.Platform;
using Stackvault.Repository;
using Stackvault.Repository.Packing;

namespace Stackvault.Backup;

/// <summary>
/// Reads one file and cuts it into content-defined chunks; the blob writer's workers hash them (so one large file
/// keeps more than one core busy) and store the new ones. The chunks between the readers and the writer's workers
/// (queued, or being hashed and encoded) live in one ring of <see cref="ChunkBytesInFlight"/> bytes shared by every
/// file in flight: their memory is that constant, whatever the chunk sizes, the number of files or the workers.
/// </summary>
internal sealed class FileArchiver(BlobWriter writer, FastCdc chunker, BackupProgress progress, long letGoOfColdAfter)
{
    /// <summary>Bytes read from files that were not cached when opened (<paramref name="letGoOfColdAfter"/>).</summary>
    private long _coldRead;

    /// <summary>
    /// The bytes of chunks in flight: some eight chunks of the 1 MiB average, which is what a content-defined chunker
    /// mostly cuts, or one maximum-size chunk (a repository with a larger maximum chunk gets one of those). It was
    /// twice this, room for two maximum-size chunks at once, one per worker; but maximum-size chunks come from runs
    /// without a cut point (zeros, repeated bytes), which hash and compress at several GB/s, so a reader waiting for
    /// room behind one waits milliseconds. Halved, a 5 GiB bucket backup peaked 8 MB lower at the same speed, and the
    /// 1G file backup and restore were no slower (docs/benchmarks.md, "Stop 24").
    /// </summary>
    public const int ChunkBytesInFlight = 8 << 20;

    /// <summary>The ring's size for a repository's chunker: <see cref="ChunkBytesInFlight"/>, or one maximum-size chunk if that is larger.</summary>
    public static int RingCapacity(ChunkerParameters parameters) => Math.Max(ChunkBytesInFlight, parameters.MaxSize);

    private readonly ByteRing _chunks = new(RingCapacity(chunker.Parameters));

    /// <summary>
    /// How many readers hold a full-size buffer at once (<see cref="ChunkReader"/>: a reader starts with a quarter of
    /// it, and needs the full size only while a chunk longer than twice the average is in it, about 1 in 55 chunks, or
    /// for a run without cut points such as zeros). Others that need one wait for one: the buffers of all the files or
    /// objects read at once are then bounded by their start buffers plus these, whatever the content.
    /// </summary>
    public const int FullBuffersInFlight = 2;

    private readonly ByteBudget _fullBuffers = new(FullBuffersInFlight * ChunkReader.FullBufferCost(chunker.Parameters));

    /// <summary>The ring the chunks in flight are copied into (for tests).</summary>
    internal ByteRing Chunks => _chunks;

    /// <summary>
    /// Returns the chunk ids in order and the bytes read. <paramref name="wasCold"/>: whether the file was cold before
    /// the backup's own read-ahead asked for it (<see cref="SourceReadAhead"/>), or null to look when it is opened.
    /// </summary>
    public async ValueTask<(List<ObjectId> Content, long Size)> ArchiveAsync(string path, bool? wasCold, CancellationToken cancellationToken)
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

        // A file none of whose pages was cached is read for the backup alone: once the backup has read more such bytes
        // than the page cache takes without pressure, the pages they bring in are let go as it goes (the chunks are
        // copies; below that, dropping costs more than it saves: docs/benchmarks.md, "Stop 19"). A file that was
        // cached, even partly (a service reads or writes it), is left so.
        var readOnce = wasCold ?? PageCache.IsCold(stream.SafeFileHandle) ? stream.SafeFileHandle : null;
        return await ArchiveAsync(stream, readOnce, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Chunks any stream (a file, a dump's stdout) without holding more than one read window in memory.</summary>
    public ValueTask<(List<ObjectId> Content, long Size)> ArchiveAsync(Stream stream, CancellationToken cancellationToken) =>
        ArchiveAsync(stream, null, cancellationToken);

    private async ValueTask<(List<ObjectId> Content, long Size)> ArchiveAsync(Stream stream, SafeFileHandle? readOnce, CancellationToken cancellationToken)
    {
        var ids = new ChunkIds();
        long size = 0;
        long dropped = 0;
        using (var reader = new ChunkReader(stream, chunker, leaveOpen: true, _chunks, _fullBuffers))
        {
            while (await reader.NextAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                var length = chunk.Length;
                size += length;
                await writer.SaveChunkAsync(chunk.Data, chunk, ids, cancellationToken).ConfigureAwait(false);
                progress.AddRead(length);
                if (readOnce is not null && Interlocked.Add(ref _coldRead, length) >= letGoOfColdAfter && size - dropped >= PageCache.DropEvery)
                {
                    PageCache.Drop(readOnce, 0, size);
                    dropped = size;
                }
            }
        }

        if (readOnce is not null && Interlocked.Read(ref _coldRead) >= letGoOfColdAfter)
        {
            PageCache.Drop(readOnce);
        }

        return (await writer.HashedAsync(ids, cancellationToken).ConfigureAwait(false), size);
    }
}
