using Stackvault.Repository;

namespace Stackvault.Tests.Repository;

public class MasterIndexTests
{
    private static ObjectId Id(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new ObjectId(bytes);
    }

    [Fact]
    public void TryGet_ManyBlobsAcrossPacks_FindsEachWithItsPack()
    {
        var random = new Random(7);
        var index = new MasterIndex();
        var expected = new Dictionary<ObjectId, (ObjectId Pack, uint Offset)>();
        for (var p = 0; p < 50; p++)
        {
            var pack = Id(random);
            var blobs = new List<PackEntry>();
            for (var b = 0; b < 2000; b++)
            {
                var id = Id(random);
                blobs.Add(new PackEntry(id, BlobType.Data, BlobFlags.None, (uint)(b * 10), 10, 10));
                expected[id] = (pack, (uint)(b * 10));
            }

            index.AddPack(pack, blobs);
        }

        Assert.Equal(100_000, index.Count);
        Assert.Equal(50, index.PackCount);
        foreach (var (id, (pack, offset)) in expected)
        {
            Assert.True(index.TryGet(id, out var location));
            Assert.Equal(pack, index.PackId(location.PackIndex));
            Assert.Equal(offset, location.Offset);
        }

        Assert.False(index.Contains(Id(random)));
    }

    [Fact]
    public void AddPack_DuplicateBlob_KeepsFirstLocation()
    {
        var random = new Random(1);
        var index = new MasterIndex();
        var blob = Id(random);
        var first = Id(random);
        index.AddPack(first, [new PackEntry(blob, BlobType.Data, BlobFlags.None, 0, 5, 5)]);
        index.AddPack(Id(random), [new PackEntry(blob, BlobType.Data, BlobFlags.None, 9, 5, 5)]);
        Assert.Equal(1, index.Count);
        Assert.True(index.TryGet(blob, out var location));
        Assert.Equal(first, index.PackId(location.PackIndex));
    }
}
