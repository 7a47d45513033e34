namespace Stackvault.Export;

/// <summary>
/// Content of a known length read strictly forward. It reports its length and position (so a tar writer can write
/// the header first and a chunker can size its buffer to the content) and says it can seek, but seeking anywhere
/// but the current position is not supported. Subclasses give the length and the reads.
/// </summary>
public abstract class ForwardOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Position
    {
        get => ReadSoFar;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The bytes read so far.</summary>
    protected long ReadSoFar { get; set; }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => ReadSoFar + offset,
            _ => Length + offset,
        };
        return target == ReadSoFar ? ReadSoFar : throw new NotSupportedException("this content is read forward only");
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
