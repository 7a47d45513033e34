using System.Buffers;

namespace Stackvault.Compression;

/// <summary>
/// A read-only stream that decompresses zstd data (one or more frames, e.g. written by the <c>zstd</c> tool) from an
/// inner stream. Corrupt or truncated input raises <see cref="InvalidDataException"/>. Not thread-safe.
/// </summary>
public sealed class ZstdDecoderStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private ZstdDecompressor? _decompressor;
    private byte[]? _in;
    private int _inPos;
    private int _inLen;
    private bool _eof;
    private nuint _hint = 1; // zstd's "more input expected" hint; 0 once a frame is complete.

    public ZstdDecoderStream(Stream inner, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanRead)
        {
            throw new ArgumentException("the inner stream must be readable", nameof(inner));
        }

        _decompressor = new ZstdDecompressor();
        _inner = inner;
        _leaveOpen = leaveOpen;
        _in = ArrayPool<byte>.Shared.Rent((int)ZstdNative.DStreamInSize());
    }

    public override bool CanRead => _decompressor is not null;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_inPos == _inLen && !_eof)
            {
                Refilled(_inner.Read(_in!, 0, _in!.Length));
            }

            if (_inPos == _inLen && _eof && _hint == 0)
            {
                return 0; // Every frame is complete and flushed.
            }

            if (Step(buffer) is var produced and > 0)
            {
                return produced;
            }

            if (_eof && _inPos == _inLen)
            {
                throw new InvalidDataException("zstd stream is truncated: the input ended inside a frame");
            }
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            if (_inPos == _inLen && !_eof)
            {
                ObjectDisposedException.ThrowIf(_in is null, this);
                Refilled(await _inner.ReadAsync(_in, cancellationToken).ConfigureAwait(false));
            }

            if (_inPos == _inLen && _eof && _hint == 0)
            {
                return 0; // Every frame is complete and flushed.
            }

            if (Step(buffer.Span) is var produced and > 0)
            {
                return produced;
            }

            if (_eof && _inPos == _inLen)
            {
                throw new InvalidDataException("zstd stream is truncated: the input ended inside a frame");
            }
        }

        return 0;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _decompressor, null) is { } decompressor)
        {
            decompressor.Dispose();
            ArrayPool<byte>.Shared.Return(_in!);
            _in = null;
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Refilled(int count)
    {
        _inPos = 0;
        _inLen = count;
        _eof = count == 0;
    }

    /// <summary>One ZSTD_decompressStream call from the buffered input into <paramref name="destination"/>.</summary>
    private unsafe int Step(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_decompressor is null, this);
        fixed (byte* src = _in)
        fixed (byte* dst = destination)
        {
            var inBuf = new ZstdNative.InBuffer { Src = src, Size = (nuint)_inLen, Pos = (nuint)_inPos };
            var outBuf = new ZstdNative.OutBuffer { Dst = dst, Size = (nuint)destination.Length };
            var hint = ZstdNative.DecompressStream(_decompressor.Context, &outBuf, &inBuf);
            GC.KeepAlive(_decompressor);
            if (ZstdNative.Failed(hint))
            {
                throw new InvalidDataException("corrupt zstd stream: " + ZstdNative.ErrorName(hint));
            }

            _hint = hint;
            _inPos = (int)inBuf.Pos;
            return (int)outBuf.Pos;
        }
    }
}
