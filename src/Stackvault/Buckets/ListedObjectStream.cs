namespace Stackvault.Buckets;

/// <summary>
/// An object's content as the backup reads it: forward only, but reporting the length the listing gave, so the
/// chunker sizes its buffer to the object (a 2 KiB meta.json gets a 4 KiB buffer, not the chunker's 8 MiB), as for a
/// file (like <see cref="Export.BlobContentStream"/>, seeking anywhere but the current position is not supported).
/// Holds the read budget's lease until disposed.
/// </summary>
internal sealed class ListedObjectStream(Stream inner, long length, ByteBudget.Lease? lease) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
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
        return target == _position ? _position : throw new NotSupportedException("an object's content is read forward only");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                inner.Dispose();
            }
            finally
            {
                lease?.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
