namespace Stackvault.Chunking;

/// <summary>
/// Cuts a stream into content-defined chunks. Keeps one buffer of MaxSize bytes (8 MiB by default; a short file gets
/// one of its own size), refilled with large reads: a chunk is cut from whatever the buffer holds when the chunker
/// finds its boundary there (<see cref="FastCdc.TryNextChunkLength"/>), and only when it does not are the unread bytes
/// moved to the front and the buffer filled again. Memory is bounded whatever the stream's length, and the bytes moved
/// are about one partial chunk per buffer. Not thread-safe; call NextAsync (or Next) in sequence.
/// </summary>
public sealed class ChunkReader : IDisposable
{
    private const int MinBufferSize = 1 << 20;

    private readonly Stream _stream;
    private readonly FastCdc _chunker;
    private readonly bool _leaveOpen;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private long _offset;

    public ChunkReader(Stream stream, FastCdc chunker, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunker);
        _stream = stream;
        _chunker = chunker;
        _leaveOpen = leaveOpen;
        // A file shorter than the usual buffer gets one of its own size (plus one byte to see the end): most files
        // of a stack are small, and MaxSize per file in flight would be wasted.
        _buffer = Stackvault.Buffers.BufferPool.Rent(stream.CanSeek ? BufferLength(stream.Length - stream.Position, chunker.Parameters) : FullSize);
    }

    /// <summary>
    /// The buffer a reader takes for a stream of <paramref name="length"/> bytes: the length plus one byte (to see the
    /// end), at least 4 KiB, at most the chunker's maximum chunk size (and at least 1 MiB when the stream is longer).
    /// The pool rounds it up to a power of two (<see cref="Stackvault.Buffers.ByteBudget.PooledCost"/>).
    /// </summary>
    public static int BufferLength(long length, ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var full = Math.Max(parameters.MaxSize, MinBufferSize);
        return length + 1 < full ? (int)Math.Max(length + 1, 4096) : full;
    }

    /// <summary>The number of bytes returned in chunks so far: the offset of the next chunk.</summary>
    public long Position => _offset;

    private int FullSize => Math.Max(_chunker.Parameters.MaxSize, MinBufferSize);

    /// <summary>The next chunk, or null at the end of the stream. The caller disposes the chunk.</summary>
    public async ValueTask<Chunk?> NextAsync(CancellationToken cancellationToken)
    {
        Chunk? chunk;
        while (!TryCut(out chunk))
        {
            var buffer = Compact();
            while (_end < buffer.Length && !_eof)
            {
                Filled(await _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
            }
        }

        return chunk;
    }

    /// <summary>The synchronous form of <see cref="NextAsync"/>.</summary>
    public Chunk? Next()
    {
        Chunk? chunk;
        while (!TryCut(out chunk))
        {
            var buffer = Compact();
            while (_end < buffer.Length && !_eof)
            {
                Filled(_stream.Read(buffer, _end, buffer.Length - _end));
            }
        }

        return chunk;
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

    /// <summary>Cuts the next chunk from the buffered bytes; false when more must be read first. A null chunk is the end.</summary>
    private bool TryCut(out Chunk? chunk)
    {
        chunk = null;
        var window = (_buffer ?? throw new ObjectDisposedException(nameof(ChunkReader))).AsSpan(_start, _end - _start);
        if (window.IsEmpty)
        {
            return _eof;
        }

        if (!_chunker.TryNextChunkLength(window, isFinal: _eof, out var length))
        {
            return false;
        }

        chunk = new Chunk(window[..length], _offset);
        _start += length;
        _offset += length;
        return true;
    }
}
