namespace Stackvault.Buckets;

/// <summary>
/// The body of one PUT attempt over an upload buffer: a read-only seekable stream that calls <paramref name="sent"/>
/// once the body has been read to its end <paramref name="passes"/> times, and from then on refuses to be read. Over
/// SigV4 the SDK reads a body twice: once to hash it (the signed payload hash) and once to send it. Every read copies
/// the bytes out (this is not a MemoryStream, whose buffer others may reach), so once the send pass has reached the
/// end the request holds nothing of the buffer, and the upload can give it back while the bytes are still in the
/// socket buffers and the server is still writing and answering. A read after that (an SDK that read more often)
/// fails the attempt as an IOException, retried; it never sees memory that was handed on.
/// </summary>
internal sealed class SentOnceBody(byte[] array, int start, int length, int passes, Action sent) : Stream
{
    private int _position;
    private int _ends;
    private bool _gone;
    private Task<int>? _lastRead;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        Refuse();
        var n = Math.Min(destination.Length, length - _position);
        array.AsSpan(start + _position, n).CopyTo(destination);
        _position += n;
        if (n == 0 && destination.Length > 0 && ++_ends == passes)
        {
            _gone = true;
            sent();
        }

        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested ? ValueTask.FromCanceled<int>(cancellationToken) : ValueTask.FromResult(Read(destination.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        // as MemoryStream does: the same count read again reuses the last task (the SDK reads a body in fixed-size pieces)
        var n = Read(buffer.AsSpan(offset, count));
        return _lastRead is { } last && last.Result == n ? last : _lastRead = Task.FromResult(n);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Refuse();
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        _position = (int)Math.Min(target, length);
        return _position;
    }

    private void Refuse()
    {
        if (_gone)
        {
            throw new IOException("the upload buffer was given back once the body was sent"); // a transient failure: the attempt is retried
        }
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
