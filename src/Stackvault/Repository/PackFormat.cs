using System.Buffers.Binary;
using System.Text;

namespace Stackvault.Repository;

/// <summary>
/// The pack layout, byte by byte (docs/design.md, "Packs"):
/// <c>blob_0 .. blob_n-1 || seal(header) || header_length:u32le</c>, where the plaintext header is
/// <c>"SVPK" || version:u8 || 3 zero bytes || count:u32le || count * entry</c> and an entry is
/// <c>type:u8 || flags:u8 || 2 zero bytes || length:u32le || raw_length:u32le || id:32 bytes</c>.
/// Blob offsets are implied: each blob starts where the previous one ends, the first at 0.
/// </summary>
public static class PackFormat
{
    public const int Version = 1;
    public const int MagicSize = 4;
    public const int HeaderPrefixSize = 12;
    public const int EntrySize = 44;
    public const int TrailerSize = 4;
    public const int EntryTypeOffset = 0;
    public const int EntryFlagsOffset = 1;
    public const int EntryLengthOffset = 4;
    public const int EntryRawLengthOffset = 8;
    public const int EntryIdOffset = 12;

    public static ReadOnlySpan<byte> Magic => "SVPK"u8;

    /// <summary>Encodes the plaintext header for the entries, in order.</summary>
    public static byte[] EncodeHeader(IReadOnlyList<PackEntry> entries)
    {
        var header = new byte[HeaderPrefixSize + (entries.Count * EntrySize)];
        Magic.CopyTo(header);
        header[MagicSize] = Version;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)entries.Count);
        var position = HeaderPrefixSize;
        foreach (var e in entries)
        {
            var span = header.AsSpan(position, EntrySize);
            span[EntryTypeOffset] = (byte)e.Type;
            span[EntryFlagsOffset] = (byte)e.Flags;
            BinaryPrimitives.WriteUInt32LittleEndian(span[EntryLengthOffset..], e.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(span[EntryRawLengthOffset..], e.RawLength);
            e.Id.WriteTo(span[EntryIdOffset..]);
            position += EntrySize;
        }

        return header;
    }

    /// <summary>
    /// Decodes a plaintext header, checking every field; <paramref name="dataLength"/> is the number of bytes
    /// before the sealed header, which the blob lengths must add up to exactly.
    /// </summary>
    public static PackEntry[] DecodeHeader(ReadOnlySpan<byte> header, long dataLength, int minBlobLength)
    {
        if (header.Length < HeaderPrefixSize)
        {
            throw new InvalidDataException($"pack header: {header.Length} bytes, shorter than its {HeaderPrefixSize}-byte prefix");
        }

        if (!header[..MagicSize].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"pack header: magic is '{Encoding.ASCII.GetString(header[..MagicSize])}', expected 'SVPK'");
        }

        if (header[MagicSize] != Version)
        {
            throw new InvalidDataException($"pack header: version {header[MagicSize]}, this build reads version {Version}");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if ((long)count * EntrySize != header.Length - HeaderPrefixSize)
        {
            throw new InvalidDataException($"pack header: count {count} does not match header length {header.Length}");
        }

        var entries = new PackEntry[count];
        long offset = 0;
        for (var i = 0; i < count; i++)
        {
            var span = header.Slice(HeaderPrefixSize + (i * EntrySize), EntrySize);
            var type = span[EntryTypeOffset];
            var flags = span[EntryFlagsOffset];
            if (type > (byte)BlobType.Tree)
            {
                throw new InvalidDataException($"pack header: entry {i} has unknown type {type}");
            }

            if (flags > (byte)BlobFlags.Zstd)
            {
                throw new InvalidDataException($"pack header: entry {i} has unknown flags {flags}");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[EntryLengthOffset..]);
            var raw = BinaryPrimitives.ReadUInt32LittleEndian(span[EntryRawLengthOffset..]);
            if (length < minBlobLength || offset + length > dataLength)
            {
                throw new InvalidDataException($"pack header: entry {i} length {length} at offset {offset} does not fit the pack's {dataLength} data bytes");
            }

            entries[i] = new PackEntry(new ObjectId(span.Slice(EntryIdOffset, ObjectId.Size)), (BlobType)type, (BlobFlags)flags, (uint)offset, length, raw);
            offset += length;
        }

        if (offset != dataLength)
        {
            throw new InvalidDataException($"pack header: blob lengths add up to {offset}, the pack has {dataLength} data bytes");
        }

        return entries;
    }
}
