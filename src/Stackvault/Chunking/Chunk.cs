using System.Buffers;

namespace Stackvault.Chunking;

/// <summary>
/// One chunk of a file: its bytes, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, and its offset in the file.
/// The consumer disposes it, which returns the buffer; <see cref="Data"/> must not be used after that.
/// </summary>
public sealed class Chunk : IDisposable
{
    private byte[]? _buffer;

    /// <summary>Copies <paramref name="data"/> into a rented buffer.</summary>
    public Chunk(ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        _buffer = Stackvault.Buffers.BufferPool.Rent(data.Length);
        data.CopyTo(_buffer);
        Length = data.Length;
        Offset = offset;
    }

    /// <summary>The chunk's bytes; throws <see cref="ObjectDisposedException"/> after Dispose.</summary>
    public ReadOnlyMemory<byte> Data =>
        _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(Chunk));

    /// <summary>The offset of the chunk's first byte in the file.</summary>
    public long Offset { get; }

    public int Length { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            Stackvault.Buffers.BufferPool.Return(buffer);
        }
    }
}
