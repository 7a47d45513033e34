namespace Stackvault.Buckets;

/// <summary>
/// The body of one streamed PUT: an object's content read from the repository as the request reads it, never held
/// whole. The SDK reads a body twice (once to hash it for the SigV4 signature, once to send it) and rewinds in
/// between; a rewind to the start opens the content again (<paramref name="open"/>), any other seek is refused. The
/// content must end exactly at <paramref name="length"/> bytes: shorter or longer fails the read (an IOException, so
/// the attempt fails and nothing short is ever completed).
/// </summary>
internal sealed class ReopeningBody(Func<CancellationToken, ValueTask<Stream>> open, long length) : Export.ReadOnlyStream
{
    private Stream? _content;
    private long _position;

    public override bool CanSeek => true;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>
    /// The SDK hashes the body for the signature through <c>HashAlgorithm.ComputeHash(Stream)</c>: synchronous reads
    /// of 4 KiB, mostly served from the blob the content has decoded already (one wait per blob).
    /// </summary>
    public override int Read(byte[] buffer, int offset, int count)
    {
        var pending = ReadAsync(buffer.AsMemory(offset, count));
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        _content ??= await open(cancellationToken).ConfigureAwait(false);
        var left = length - _position;
        if (left == 0)
        {
            // the content must end here too: one byte more is content the snapshot does not describe
            var probe = new byte[1];
            if (await _content.ReadAsync(probe, cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new IOException($"the content runs past its {length} bytes");
            }

            return 0;
        }

        var n = await _content.ReadAsync(buffer[..(int)Math.Min(buffer.Length, left)], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            throw new IOException($"the content ended at {_position} of its {length} bytes");
        }

        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        if (target == _position)
        {
            return _position;
        }

        if (target != 0)
        {
            throw new NotSupportedException("a streamed body rewinds only to its start");
        }

        _content?.Dispose();
        _content = null;
        _position = 0;
        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content?.Dispose();
            _content = null;
        }

        base.Dispose(disposing);
    }
}
