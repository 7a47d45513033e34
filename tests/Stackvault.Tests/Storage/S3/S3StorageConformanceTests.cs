using Amazon.S3.Model;
using Stackvault.Storage;
using Stackvault.Storage.S3;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.S3;

/// <summary>Runs the conformance suite on an S3Storage against a real s3rver (a new bucket per test), plus S3-only facts.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3StorageConformanceTests(S3rverFixture server) : StorageConformanceTests
{
    private string _bucket = string.Empty;

    protected override async ValueTask<IStorage> CreateStorageAsync()
    {
        _bucket = await server.NewBucketAsync();
        return new S3Storage(server.Options(_bucket, "team/repo"));
    }

    [Fact]
    public async Task SaveAsync_AboveMultipartThreshold_ReadsBackIdenticalAndLeavesNoUpload()
    {
        await using var storage = new S3Storage(server.Options(_bucket, "mp") with { MultipartThreshold = 6 * S3StorageOptions.MiB, PartSize = 5 * S3StorageOptions.MiB });
        var handle = NewHandle(ObjectKind.Pack);
        var data = RandomBytes((13 * 1024 * 1024) + 123); // three parts, the last one short

        await storage.SaveAsync(handle, data, CancellationToken.None);

        Assert.Equal(data, await storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(data.Length, await storage.StatAsync(handle, CancellationToken.None));
        var middle = new byte[4096];
        await storage.ReadAtAsync(handle, (5 * 1024 * 1024) - 100, middle, CancellationToken.None); // across a part boundary
        Assert.Equal(data.AsSpan((5 * 1024 * 1024) - 100, 4096).ToArray(), middle);
        await Assert.ThrowsAsync<Stackvault.Errors.ObjectExistsException>(async () => await storage.SaveAsync(handle, data, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_ForeignKeys_AreIgnored()
    {
        var handle = NewHandle(ObjectKind.Pack);
        await Storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None);
        using var client = server.CreateClient();
        foreach (var key in new[] { "team/repo/data/zz/zz00", "team/repo/data/ab/cd12", "team/repo/data/readme.txt", "team/repo/keys/UPPER", "team/repo/keys/ab/cd", "team/repo2/keys/abcd", "team/repo/locks/.tmp-ab" })
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "x" });
        }

        Assert.Equal([new ObjectInfo(handle, 10)], await ListAllAsync(ObjectKind.Pack));
        Assert.Empty(await ListAllAsync(ObjectKind.Key));
        Assert.Empty(await ListAllAsync(ObjectKind.Lock));
    }

    [Fact]
    public async Task SaveAsync_Object_StoredUnderPrefixedKey()
    {
        var handle = NewHandle(ObjectKind.Index);
        await Storage.SaveAsync(handle, RandomBytes(7), CancellationToken.None);
        using var client = server.CreateClient();

        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket });

        Assert.Equal("team/repo/index/" + handle.Name, Assert.Single(listed.S3Objects).Key);
    }

    [Fact]
    public async Task ListAsync_MoreThanOnePage_ListsAll()
    {
        var saved = new HashSet<ObjectInfo>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1100), async (_, _) =>
        {
            var handle = NewHandle(ObjectKind.Lock);
            await Storage.SaveAsync(handle, RandomBytes(1), CancellationToken.None);
            lock (saved)
            {
                saved.Add(new ObjectInfo(handle, 1));
            }
        });

        Assert.True(saved.SetEquals(await ListAllAsync(ObjectKind.Lock)));
    }
}
