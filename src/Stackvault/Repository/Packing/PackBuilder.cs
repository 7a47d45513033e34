using System.Buffers.Binary;
using Stackvault.Crypto;

namespace Stackvault.Repository.Packing;

/// <summary>One pack being filled: sealed blobs appended into a reusable buffer, then the sealed header and trailer.</summary>
internal sealed class PackBuilder(int capacity)
{
    private byte[] _buffer = new byte[capacity];

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, Length);

    /// <summary>Space for a blob of up to <paramref name="maxLength"/> bytes, growing the buffer if needed.</summary>
    public Span<byte> Reserve(int maxLength)
    {
        if (Length + maxLength > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + maxLength));
        }

        return _buffer.AsSpan(Length, maxLength);
    }

    public void Commit(ObjectId id, BlobType type, BlobFlags flags, int length, int rawLength)
    {
        Entries.Add(new PackEntry(id, type, flags, (uint)Length, (uint)length, (uint)rawLength));
        Length += length;
    }

    /// <summary>Appends <c>seal(header) || header_length</c>; the pack is then complete.</summary>
    public void Finish(ObjectCipher cipher)
    {
        var header = PackFormat.EncodeHeader(Entries);
        var sealedLength = header.Length + cipher.Overhead;
        var span = Reserve(sealedLength + PackFormat.TrailerSize);
        var written = cipher.Seal(header, span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[written..], (uint)written);
        Length += written + PackFormat.TrailerSize;
    }

    public void Reset()
    {
        Length = 0;
        Entries.Clear();
    }
}
