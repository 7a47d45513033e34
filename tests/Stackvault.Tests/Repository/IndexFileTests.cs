using System.Buffers.Binary;
using Stackvault.Repository;

namespace Stackvault.Tests.Repository;

public class IndexFileTests
{
    private static ObjectId Id(int seed)
    {
        var bytes = new byte[32];
        new Random(seed).NextBytes(bytes);
        return new ObjectId(bytes);
    }

    private static IndexFile Sample()
    {
        var index = new IndexFile();
        index.Supersedes.Add(Id(99));
        index.Packs.Add((Id(1), [new PackEntry(Id(2), BlobType.Data, BlobFlags.Zstd, 0, 100, 300), new PackEntry(Id(3), BlobType.Tree, BlobFlags.None, 100, 40, 12)]));
        index.Packs.Add((Id(4), [new PackEntry(Id(5), BlobType.Data, BlobFlags.None, 0, 1 << 20, 1 << 20)]));
        return index;
    }

    [Fact]
    public void Decode_Encoded_RoundTrips()
    {
        var decoded = IndexFile.Decode(Sample().Encode());
        Assert.Equal([Id(99)], decoded.Supersedes);
        Assert.Equal(2, decoded.Packs.Count);
        Assert.Equal(Id(1), decoded.Packs[0].PackId);
        Assert.Equal(Sample().Packs[0].Blobs, decoded.Packs[0].Blobs);
        Assert.Equal(3, decoded.BlobCount);
    }

    [Fact]
    public void Decode_EveryTruncation_RejectedNamingTheField()
    {
        var bytes = Sample().Encode();
        for (var length = 0; length < bytes.Length; length += 7)
        {
            var e = Assert.Throws<InvalidDataException>(() => IndexFile.Decode(bytes.AsSpan(0, length)));
            Assert.StartsWith("index:", e.Message);
        }
    }

    [Fact]
    public void Decode_HugeCount_RejectedWithoutAllocating()
    {
        var bytes = Sample().Encode();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), uint.MaxValue);
        var e = Assert.Throws<InvalidDataException>(() => IndexFile.Decode(bytes));
        Assert.Contains("supersedes_count", e.Message);
    }

    [Fact]
    public void Decode_TrailingBytes_Rejected()
    {
        var bytes = Sample().Encode().Concat(new byte[] { 1 }).ToArray();
        Assert.Contains("trailing", Assert.Throws<InvalidDataException>(() => IndexFile.Decode(bytes)).Message);
    }

    [Fact]
    public void Encode_NoPendingOrphans_WritesVersion1()
    {
        Assert.Equal(IndexFile.Version, Sample().Encode()[4]);
    }

    [Fact]
    public void Decode_Version2WithPendingOrphans_RoundTrips()
    {
        var index = Sample();
        index.PendingOrphans.Add(Id(7));
        index.PendingOrphans.Add(Id(8));
        var bytes = index.Encode();
        Assert.Equal(IndexFile.VersionWithOrphans, bytes[4]);
        var decoded = IndexFile.Decode(bytes);
        Assert.Equal([Id(7), Id(8)], decoded.PendingOrphans);
        Assert.Equal(2, decoded.Packs.Count);
        Assert.Equal([Id(99)], decoded.Supersedes);
    }

    [Fact]
    public void Decode_Version3_IsRejected()
    {
        var bytes = Sample().Encode();
        bytes[4] = 3;
        Assert.Contains("version 3", Assert.Throws<InvalidDataException>(() => IndexFile.Decode(bytes)).Message);
    }
}
