namespace Stackvault.Chunking;

/// <summary>
/// Cuts a stream into content-defined chunks. Keeps one sliding buffer of about 2 * MaxSize (refilled with large
/// reads), so memory is bounded whatever the stream's length. Not thread-safe; call NextAsync (or Next) in sequence.
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
        // A file shorter than the usual window gets a buffer of its own size (plus one byte to see the end):
        // most files of a stack are small, and 16 MiB per file in flight would be wasted.
        var size = Math.Max(2 * chunker.Parameters.MaxSize, MinBufferSize);
        if (stream.CanSeek && stream.Length - stream.Position + 1 < size)
        {
            size = (int)Math.Max(stream.Length - stream.Position + 1, 4096);
        }

        _buffer = Stackvault.Buffers.BufferPool.Rent(size);
    }

    /// <summary>The number of bytes returned in chunks so far: the offset of the next chunk.</summary>
    public long Position => _offset;

    /// <summary>The next chunk, or null at the end of the stream. The caller disposes the chunk.</summary>
    public async ValueTask<Chunk?> NextAsync(CancellationToken cancellationToken)
    {
        var buffer = PrepareFill();
        while (buffer is not null && !_eof)
        {
            buffer = Room(buffer);
            if (buffer is null)
            {
                break;
            }

            Filled(await _stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
        }

        return Cut();
    }

    /// <summary>The synchronous form of <see cref="NextAsync"/>.</summary>
    public Chunk? Next()
    {
        var buffer = PrepareFill();
        while (buffer is not null && !_eof)
        {
            buffer = Room(buffer);
            if (buffer is null)
            {
                break;
            }

            Filled(_stream.Read(buffer, _end, buffer.Length - _end));
        }

        return Cut();
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

    /// <summary>Returns the buffer to fill from _end, after moving the unread bytes to its start; null when no read is needed.</summary>
    private byte[]? PrepareFill()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(ChunkReader));
        if (_eof || _end - _start >= _chunker.Parameters.MaxSize)
        {
            return null;
        }

        buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
        _end -= _start;
        _start = 0;
        return buffer;
    }

    /// <summary>
    /// The buffer to read into, or null when it is full enough to cut. A buffer sized for a short file that turns
    /// out longer (a live file growing) is replaced by a full-size one, so a non-final window always holds MaxSize.
    /// </summary>
    private byte[]? Room(byte[] buffer)
    {
        if (_end < buffer.Length)
        {
            return buffer;
        }

        var full = Math.Max(2 * _chunker.Parameters.MaxSize, MinBufferSize);
        if (_end - _start >= _chunker.Parameters.MaxSize || buffer.Length >= full)
        {
            return null;
        }

        var bigger = Stackvault.Buffers.BufferPool.Rent(full);
        buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        _end -= _start;
        _start = 0;
        Stackvault.Buffers.BufferPool.Return(buffer);
        _buffer = bigger;
        return bigger;
    }

    private void Filled(int count)
    {
        _end += count;
        _eof = count == 0;
    }

    private Chunk? Cut()
    {
        var window = _buffer.AsSpan(_start, _end - _start);
        if (window.IsEmpty)
        {
            return null;
        }

        var length = _chunker.NextChunkLength(window, isFinal: _eof);
        var chunk = new Chunk(window[..length], _offset);
        _start += length;
        _offset += length;
        return chunk;
    }
}
