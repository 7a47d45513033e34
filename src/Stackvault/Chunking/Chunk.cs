using Stackvault.Buffers;

namespace Stackvault.Chunking;

/// <summary>
/// One chunk of a file: its bytes, in a buffer of its own (a slice of the backup's <see cref="ByteRing"/>, or an array
/// rented from <see cref="BufferPool"/>), and its offset in the file. The consumer disposes it, which gives the buffer
/// back; <see cref="Data"/> must not be used after that.
/// </summary>
public sealed class Chunk : IDisposable
{
    private byte[]? _buffer;
    private ByteRing.Lease? _lease;

    /// <summary>Copies <paramref name="data"/> into a rented buffer.</summary>
    public Chunk(ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _buffer = BufferPool.Rent(data.Length);
        data.CopyTo(_buffer);
        Length = data.Length;
        Offset = offset;
    }

    /// <summary>Copies <paramref name="data"/> into <paramref name="lease"/>, which the chunk then owns.</summary>
    public Chunk(ReadOnlySpan<byte> data, long offset, ByteRing.Lease lease)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentOutOfRangeException.ThrowIfNotEqual(lease.Length, data.Length);
        data.CopyTo(lease.Memory.Span);
        _lease = lease;
        Length = data.Length;
        Offset = offset;
    }

    /// <summary>The chunk's bytes; throws <see cref="ObjectDisposedException"/> after Dispose.</summary>
    public ReadOnlyMemory<byte> Data => _lease is { } lease ? lease.Memory
        : _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(Chunk));

    /// <summary>The offset of the chunk's first byte in the file.</summary>
    public long Offset { get; }

    public int Length { get; }

    public void Dispose()
    {
        Interlocked.Exchange(ref _lease, null)?.Dispose();
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            BufferPool.Return(buffer);
        }
    }
}
