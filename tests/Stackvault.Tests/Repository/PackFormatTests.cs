using System.Buffers.Binary;
using Stackvault.Repository;

namespace Stackvault.Tests.Repository;

public class PackFormatTests
{
    private static PackEntry Entry(byte seed, uint offset, uint length) =>
        new(new ObjectId(Enumerable.Repeat(seed, 32).ToArray()), BlobType.Data, BlobFlags.Zstd, offset, length, length * 2);

    [Fact]
    public void DecodeHeader_EncodedEntries_RoundTripWithImpliedOffsets()
    {
        var entries = new[] { Entry(1, 0, 100), Entry(2, 100, 50), Entry(3, 150, 28) };
        var header = PackFormat.EncodeHeader(entries);
        Assert.Equal(PackFormat.HeaderPrefixSize + (3 * PackFormat.EntrySize), header.Length);
        var decoded = PackFormat.DecodeHeader(header, 178, 0);
        Assert.Equal(entries, decoded);
    }

    [Fact]
    public void DecodeHeader_BadMagic_NamesMagic()
    {
        var header = PackFormat.EncodeHeader([Entry(1, 0, 10)]);
        header[0] = (byte)'X';
        var e = Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 10, 0));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void DecodeHeader_CountLargerThanEntries_Rejected()
    {
        var header = PackFormat.EncodeHeader([Entry(1, 0, 10)]);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 1_000_000);
        var e = Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 10, 0));
        Assert.Contains("count", e.Message);
    }

    [Fact]
    public void DecodeHeader_LengthsBeyondData_Rejected()
    {
        var header = PackFormat.EncodeHeader([Entry(1, 0, 10), Entry(2, 10, 20)]);
        Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 25, 0));
        Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 31, 0));
    }

    [Fact]
    public void DecodeHeader_UnknownTypeOrVersion_Rejected()
    {
        var header = PackFormat.EncodeHeader([Entry(1, 0, 10)]);
        header[PackFormat.HeaderPrefixSize] = 7;
        Assert.Contains("type", Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 10, 0)).Message);
        header = PackFormat.EncodeHeader([Entry(1, 0, 10)]);
        header[4] = 2;
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(header, 10, 0)).Message);
    }

    [Fact]
    public void DecodeHeader_Truncated_Rejected()
    {
        Assert.Throws<InvalidDataException>(() => PackFormat.DecodeHeader(new byte[5], 0, 0));
    }
}
