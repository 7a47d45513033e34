using System.Buffers;

namespace Stackvault.Compression;

/// <summary>
/// A write-only stream that zstd-compresses everything written into an inner stream, as one frame with a checksum.
/// Dispose (or DisposeAsync) ends the frame; the output is readable by <c>zstd -d</c>. Not thread-safe.
/// </summary>
public sealed class ZstdEncoderStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private byte[]? _out;
    private ZstdCompressor? _compressor;

    public ZstdEncoderStream(Stream inner, int level = 3, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanWrite)
        {
            throw new ArgumentException("the inner stream must be writable", nameof(inner));
        }

        _compressor = new ZstdCompressor(level);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _out = ArrayPool<byte>.Shared.Rent((int)ZstdNative.CStreamOutSize());
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _compressor is not null;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        do
        {
            Step(ref buffer, ZstdNative.EndContinue, out var produced);
            _inner.Write(_out!, 0, produced);
        }
        while (!buffer.IsEmpty);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        do
        {
            var span = buffer.Span;
            var before = span.Length;
            Step(ref span, ZstdNative.EndContinue, out var produced);
            buffer = buffer[(before - span.Length)..];
            await _inner.WriteAsync(_out.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
        while (!buffer.IsEmpty);
    }

    /// <summary>Flushes a zstd block so everything written so far can be decoded, then flushes the inner stream.</summary>
    public override void Flush()
    {
        Drain(ZstdNative.EndFlush);
        _inner.Flush();
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await DrainAsync(ZstdNative.EndFlush, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_compressor is not null)
        {
            try
            {
                await DrainAsync(ZstdNative.EndFrame, CancellationToken.None).ConfigureAwait(false);
                if (!_leaveOpen)
                {
                    await _inner.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                Release();
            }
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _compressor is not null)
        {
            try
            {
                Drain(ZstdNative.EndFrame);
                if (!_leaveOpen)
                {
                    _inner.Dispose();
                }
            }
            finally
            {
                Release();
            }
        }

        base.Dispose(disposing);
    }

    private void Drain(int endOp)
    {
        nuint remaining;
        do
        {
            var none = ReadOnlySpan<byte>.Empty;
            remaining = Step(ref none, endOp, out var produced);
            _inner.Write(_out!, 0, produced);
        }
        while (remaining != 0);
    }

    private async ValueTask DrainAsync(int endOp, CancellationToken cancellationToken)
    {
        nuint remaining;
        do
        {
            var none = ReadOnlySpan<byte>.Empty;
            remaining = Step(ref none, endOp, out var produced);
            await _inner.WriteAsync(_out.AsMemory(0, produced), cancellationToken).ConfigureAwait(false);
        }
        while (remaining != 0);
    }

    /// <summary>One ZSTD_compressStream2 call; consumes from <paramref name="input"/>, fills _out; returns zstd's remaining hint.</summary>
    private unsafe nuint Step(ref ReadOnlySpan<byte> input, int endOp, out int produced)
    {
        ObjectDisposedException.ThrowIf(_compressor is null, this);
        fixed (byte* src = input)
        fixed (byte* dst = _out)
        {
            var inBuf = new ZstdNative.InBuffer { Src = src, Size = (nuint)input.Length };
            var outBuf = new ZstdNative.OutBuffer { Dst = dst, Size = (nuint)_out!.Length };
            var remaining = ZstdCompressor.Check(ZstdNative.CompressStream2(_compressor.Context, &outBuf, &inBuf, endOp));
            GC.KeepAlive(_compressor);
            input = input[(int)inBuf.Pos..];
            produced = (int)outBuf.Pos;
            return remaining;
        }
    }

    private void Release()
    {
        Interlocked.Exchange(ref _compressor, null)?.Dispose();

        if (Interlocked.Exchange(ref _out, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
