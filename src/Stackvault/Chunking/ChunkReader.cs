namespace Stackvault.Chunking;

/// <summary>
/// Cuts a stream into content-defined chunks. Keeps one buffer of MaxSize bytes (8 MiB by default; a short file gets
/// one of its own size), refilled with large reads: a chunk is cut from whatever the buffer holds when the chunker
/// finds its boundary there (<see cref="FastCdc.TryNextChunkLength"/>), and only when it does not are the unread bytes
/// moved to the front and the buffer filled again. Memory is bounded whatever the stream's length, and the bytes moved
/// are about one partial chunk per buffer. Not thread-safe; call NextAsync (or Next) in sequence.
/// Buffers come in two sizes only: a file of at most 1 MiB gets one of its own size, any larger one the full size (a
/// pool that kept every power-of-two size in between for the files of 1-8 MiB held more, the more such files a tree
/// has). Given a <see cref="Buffers.ByteRing"/>, NextAsync copies each chunk into it, waiting while the ring is full:
/// the bytes of chunks in flight then have one fixed bound, whatever their sizes.
/// </summary>
public sealed class ChunkReader : IDisposable
{
    private const int MinBufferSize = 1 << 20;

    private readonly Stream _stream;
    private readonly FastCdc _chunker;
    private readonly bool _leaveOpen;
    private readonly Stackvault.Buffers.ByteRing? _chunks;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _offset;

    public ChunkReader(Stream stream, FastCdc chunker, bool leaveOpen = false, Stackvault.Buffers.ByteRing? chunks = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunker);
        _stream = stream;
        _chunker = chunker;
        _leaveOpen = leaveOpen;
        _chunks = chunks;
        if (chunks is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(chunks.Capacity, chunker.Parameters.MaxSize, nameof(chunks));
        }

        // A file shorter than the usual buffer gets one of its own size (plus one byte to see the end): most files
        // of a stack are small, and MaxSize per file in flight would be wasted.
        _buffer = Stackvault.Buffers.BufferPool.Rent(stream.CanSeek ? BufferLength(stream.Length - stream.Position, chunker.Parameters) : FullSize);
    }

    /// <summary>
    /// The buffer a reader takes for a stream of <paramref name="length"/> bytes: a stream of at most 1 MiB gets its
    /// length plus one byte (to see the end; at least 4 KiB), any longer one the full size (the maximum chunk size, at
    /// least 1 MiB). Two sizes only: a pool that kept every power-of-two size in between held more, the more files of
    /// 1-8 MiB a tree has. The pool rounds it up to a power of two (<see cref="Stackvault.Buffers.ByteBudget.PooledCost"/>).
    /// </summary>
    public static int BufferLength(long length, ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return length + 1 <= MinBufferSize ? (int)Math.Max(length + 1, 4096) : Math.Max(parameters.MaxSize, MinBufferSize);
    }

    /// <summary>The number of bytes returned in chunks so far: the offset of the next chunk.</summary>
    public long Position => _offset;

    private int FullSize => Math.Max(_chunker.Parameters.MaxSize, MinBufferSize);

    /// <summary>The next chunk, or null at the end of the stream. The caller disposes the chunk.</summary>
    public async ValueTask<Chunk?> NextAsync(CancellationToken cancellationToken)
    {
        int length;
        while (!TryCut(out length))
        {
            var buffer = Compact();
            while (_end < buffer.Length && !_eof)
            {
                Filled(await _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
            }
        }

        if (length == 0)
        {
            return null;
        }

        var lease = _chunks is null ? null : await _chunks.TakeAsync(length, cancellationToken).ConfigureAwait(false);
        return Take(length, lease);
    }

    /// <summary>The synchronous form of <see cref="NextAsync"/>.</summary>
    public Chunk? Next()
    {
        int length;
        while (!TryCut(out length))
        {
            var buffer = Compact();
            while (_end < buffer.Length && !_eof)
            {
                Filled(_stream.Read(buffer, _end, buffer.Length - _end));
            }
        }

        return length == 0 ? null : Take(length, null);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            Stackvault.Buffers.BufferPool.Return(buffer);
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>
    /// Moves the unread bytes to the start of the buffer and returns it. A buffer sized for a short file that is full
    /// without a cut (a live file growing) is replaced by a full-size one, so a full buffer always yields a chunk.
    /// </summary>
    private byte[] Compact()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(ChunkReader));
        var unread = _end - _start;
        if (_start == 0 && _end == buffer.Length && buffer.Length < FullSize)
        {
            var bigger = Stackvault.Buffers.BufferPool.Rent(FullSize);
            buffer.AsSpan(0, unread).CopyTo(bigger);
            Stackvault.Buffers.BufferPool.Return(buffer);
            _buffer = buffer = bigger;
        }
        else if (_start > 0)
        {
            buffer.AsSpan(_start, unread).CopyTo(buffer);
        }

        _start = 0;
        _end = unread;
        return buffer;
    }

    private void Filled(int count)
    {
        _end += count;
        _eof = count == 0;
    }

    /// <summary>Finds the next chunk's length in the buffered bytes; false when more must be read first. Length 0 is the end.</summary>
    private bool TryCut(out int length)
    {
        length = 0;
        var window = (_buffer ?? throw new ObjectDisposedException(nameof(ChunkReader))).AsSpan(_start, _end - _start);
        if (window.IsEmpty)
        {
            return _eof;
        }

        return _chunker.TryNextChunkLength(window, isFinal: _eof, out length);
    }

    /// <summary>Copies the next <paramref name="length"/> bytes out as a chunk (into the lease, if any) and moves past them.</summary>
    private Chunk Take(int length, Stackvault.Buffers.ByteRing.Lease? lease)
    {
        var bytes = (_buffer ?? throw new ObjectDisposedException(nameof(ChunkReader))).AsSpan(_start, length);
        var chunk = lease is null ? new Chunk(bytes, _offset) : new Chunk(bytes, _offset, lease);
        _start += length;
        _offset += length;
        return chunk;
    }
}
