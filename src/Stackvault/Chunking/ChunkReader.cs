namespace Stackvault.Chunking;

/// <summary>
/// Cuts a stream into content-defined chunks. Keeps one buffer, refilled with large reads: a chunk is cut from whatever
/// the buffer holds when the chunker finds its boundary there (<see cref="FastCdc.TryNextChunkLength"/>), and only when
/// it does not are the unread bytes moved to the front and the buffer filled again. Memory is bounded whatever the
/// stream's length, and the bytes moved are about one partial chunk per buffer. Not thread-safe; call NextAsync (or
/// Next) in sequence.
/// Buffers come in three sizes: a stream of at most 1 MiB gets one of its own size; a longer one starts with twice
/// the average chunk (<see cref="StartLength"/>, 2 MiB by default), which holds a whole chunk unless that chunk is
/// longer than twice the average; a buffer full without a cut is swapped for one of the maximum chunk size
/// (<see cref="FullLength"/>, 8 MiB), and swapped back once a chunk of the usual length has been cut. Past the average
/// the chunker cuts with odds of 1 in AvgSize/4 per byte, so a chunk reaches twice the average once in e^4, about 1 in
/// 55 (runs without cut points, such as zeros, always do): the buffer per stream is mostly a quarter of the maximum
/// chunk. (A pool keeping every power-of-two size in between held more, the more 1-8 MiB files a tree has.) Given a
/// <see cref="Buffers.ByteRing"/>, NextAsync copies each chunk into it, waiting while the ring is full: the bytes of
/// chunks in flight then have one fixed bound, whatever their sizes.
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
    private readonly Stackvault.Buffers.ByteBudget? _fullBuffers;

    /// <summary>The lease from <see cref="_fullBuffers"/> while the buffer is the full-size one a long chunk needed.</summary>
    private IDisposable? _fullLease;

    /// <summary>The length of the last chunk cut: a full-size buffer goes back to the start size after a usual one.</summary>
    private int _lastCut;

    /// <summary>
    /// <paramref name="chunks"/>: the ring each chunk is copied into (null: a pooled array per chunk).
    /// <paramref name="fullBuffers"/>: the budget a full-size buffer is taken from while NextAsync holds one (see
    /// <see cref="FullBufferCost"/>; null: not counted), shared by the readers whose full-size buffers it bounds.
    /// </summary>
    public ChunkReader(Stream stream, FastCdc chunker, bool leaveOpen = false, Stackvault.Buffers.ByteRing? chunks = null, Stackvault.Buffers.ByteBudget? fullBuffers = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(chunker);
        _stream = stream;
        _chunker = chunker;
        _leaveOpen = leaveOpen;
        _chunks = chunks;
        _fullBuffers = fullBuffers;
        if (chunks is not null)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(chunks.Capacity, chunker.Parameters.MaxSize, nameof(chunks));
        }

        // A file shorter than the start buffer gets one of its own size (plus one byte to see the end): most files
        // of a stack are small, and a start buffer per file in flight would be wasted.
        _buffer = Stackvault.Buffers.BufferPool.Rent(stream.CanSeek ? BufferLength(stream.Length - stream.Position, chunker.Parameters) : StartLength(chunker.Parameters));
    }

    /// <summary>
    /// The buffer a reader takes first for a stream of <paramref name="length"/> bytes: a stream of at most 1 MiB gets
    /// its length plus one byte (to see the end; at least 4 KiB), any longer one <see cref="StartLength"/>. The pool
    /// rounds it up to a power of two (<see cref="Stackvault.Buffers.ByteBudget.PooledCost"/>).
    /// </summary>
    public static int BufferLength(long length, ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return length + 1 <= MinBufferSize ? (int)Math.Max(length + 1, 4096) : StartLength(parameters);
    }

    /// <summary>The first buffer of a stream longer than 1 MiB: twice the average chunk, at least 1 MiB, at most <see cref="FullLength"/>.</summary>
    public static int StartLength(ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return (int)Math.Min(FullLength(parameters), Math.Max(2L * parameters.AvgSize, MinBufferSize));
    }

    /// <summary>The buffer that holds any chunk: the maximum chunk size, at least 1 MiB.</summary>
    public static int FullLength(ChunkerParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Math.Max(parameters.MaxSize, MinBufferSize);
    }

    /// <summary>What a full-size buffer costs in the budget given to the constructor: the array the pool hands out for it.</summary>
    public static long FullBufferCost(ChunkerParameters parameters) => Stackvault.Buffers.ByteBudget.PooledCost(FullLength(parameters));

    /// <summary>The length of the buffer held now (for tests).</summary>
    internal int HeldLength => _buffer?.Length ?? 0;

    /// <summary>The number of bytes returned in chunks so far: the offset of the next chunk.</summary>
    public long Position => _offset;

    private int FullSize => FullLength(_chunker.Parameters);

    /// <summary>
    /// The next chunk, or null at the end of the stream. The caller disposes the chunk. When the buffer must become
    /// full-size (a long chunk), this first waits for a full-size buffer's cost in the budget given to the
    /// constructor, if any, and gives it back once the buffer is back to the start size or the reader is disposed.
    /// </summary>
    public async ValueTask<Chunk?> NextAsync(CancellationToken cancellationToken)
    {
        int length;
        while (!TryCut(out length))
        {
            if (_fullBuffers is not null && _fullLease is null && MustGrow)
            {
                _fullLease = await _fullBuffers.TakeAsync(FullBufferCost(_chunker.Parameters), cancellationToken).ConfigureAwait(false);
            }

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
            Interlocked.Exchange(ref _fullLease, null)?.Dispose();
            if (!_leaveOpen)
            {
                _stream.Dispose();
            }
        }
    }

    /// <summary>
    /// Moves the unread bytes to the start of the buffer and returns it. A buffer shorter than the full size that is
    /// full without a cut (a chunk longer than it, or a short file that grew while read) is replaced by a full-size
    /// one, so a full buffer always yields a chunk; a full-size one goes back to the start size once a chunk shorter
    /// than that was cut and the unread bytes fit (after a run of maximum-size chunks, such as zeros, it stays).
    /// </summary>
    private byte[] Compact()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(ChunkReader));
        var unread = _end - _start;
        var start = StartLength(_chunker.Parameters);
        if (MustGrow)
        {
            buffer = Swap(buffer, FullSize, unread);
        }
        else if (start < FullSize && buffer.Length >= FullSize && _lastCut < start && unread < start)
        {
            // Only a swap makes a buffer of the full size when the start size is smaller (short files get at most 1 MiB).
            buffer = Swap(buffer, start, unread);
            Interlocked.Exchange(ref _fullLease, null)?.Dispose();
        }
        else if (_start > 0)
        {
            buffer.AsSpan(_start, unread).CopyTo(buffer);
        }

        _start = 0;
        _end = unread;
        return buffer;
    }

    /// <summary>Whether the buffer is full from its start without a cut and shorter than the full size.</summary>
    private bool MustGrow => _start == 0 && _buffer is { } buffer && _end == buffer.Length && buffer.Length < FullSize;

    private byte[] Swap(byte[] buffer, int length, int unread)
    {
        var other = Stackvault.Buffers.BufferPool.Rent(length);
        buffer.AsSpan(_start, unread).CopyTo(other);
        Stackvault.Buffers.BufferPool.Return(buffer);
        _buffer = other;
        return other;
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
        _lastCut = length;
        return chunk;
    }
}
