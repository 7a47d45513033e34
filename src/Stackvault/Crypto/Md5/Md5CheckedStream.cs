using Stackvault.Errors;

namespace Stackvault.Crypto.Md5;

/// <summary>
/// A forward read whose content must have a known MD5 (an S3 ETag, an Azure Content-MD5), checked at its end. It reads
/// ahead of its reader into two buffers of <see cref="BufferSize"/>; each filled buffer's blocks are handed to the
/// shared <see cref="Md5Lanes"/> and asked for only once the other buffer is filled (its bytes are needed again), so
/// they are hashed in lockstep with whatever the other streams being read have handed in meanwhile. The reader gets
/// the bytes before the check, as from any forward read: the end of the content (a read of 0 bytes) throws
/// <see cref="StackvaultException"/> with <paramref name="mismatch"/>'s message (given the MD5 found and the length
/// read) when the MD5 is not <paramref name="expected"/>, and a backup then leaves the object out.
/// </summary>
internal sealed class Md5CheckedStream(Stream inner, byte[] expected, Func<byte[], long, string> mismatch) : Export.ReadOnlyStream
{
    /// <summary>Each read-ahead buffer (two per stream read), a multiple of the MD5 block.</summary>
    public const int BufferSize = 256 << 10;

    private readonly Md5Digest _digest = new();
    private readonly byte[]?[] _buffers = new byte[]?[2];
    private Md5Lanes.Pending? _hashing;
    private int _current = 1;
    private int _position;
    private int _length;
    private int _whole;
    private bool _eof;
    private bool _checked;
    private long _returned;

    /// <summary>The bytes read so far.</summary>
    public override long Position { get => _returned; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_position == _length)
        {
            if (!_eof)
            {
                await FillNextAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_position == _length)
            {
                await CheckAsync().ConfigureAwait(false);
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _length - _position);
        _buffers[_current].AsSpan(_position, n).CopyTo(buffer.Span);
        _position += n;
        _returned += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();

            // Blocks handed in and not hashed yet (the read broke off) are asked for, so the lanes let go of them; a buffer
            // still being hashed is left to the collector, never handed to another user.
            if (_hashing is null || _hashing.HashedAsync().IsCompleted)
            {
                for (var i = 0; i < _buffers.Length; i++)
                {
                    if (_buffers[i] is { } held)
                    {
                        _buffers[i] = null;
                        Buffers.BufferPool.Return(held);
                    }
                }
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Fills the other buffer (the reader is done with it; its blocks were hashed before the current one's were handed
    /// in), then waits for the current buffer's blocks and hands in the new one's: so the hashing of one buffer runs
    /// while the next is read. At the end the last blocks' tail (under 64 bytes) stays in the buffer for the check.
    /// </summary>
    private async ValueTask FillNextAsync(CancellationToken cancellationToken)
    {
        var next = _current ^ 1;
        var buffer = _buffers[next] ??= Buffers.BufferPool.Rent(BufferSize);
        var filled = 0;
        while (filled < BufferSize)
        {
            var n = await inner.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                _eof = true;
                break;
            }

            filled += n;
        }

        if (_hashing is not null)
        {
            await _hashing.HashedAsync().ConfigureAwait(false);
        }

        _whole = filled - (filled % Md5Block.BlockSize);
        _hashing = Md5Lanes.Shared.Submit(_digest, buffer.AsMemory(0, _whole));
        (_current, _position, _length) = (next, 0, filled);
    }

    private async ValueTask CheckAsync()
    {
        if (_checked)
        {
            return;
        }

        if (_hashing is not null)
        {
            await _hashing.HashedAsync().ConfigureAwait(false);
        }

        _checked = true;
        var tail = _buffers[_current] is { } last ? last.AsSpan(_whole, _length - _whole) : default;
        var actual = _digest.State.Finish(tail);
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            throw new StackvaultException(mismatch(actual, _digest.State.Length + tail.Length));
        }
    }
}
