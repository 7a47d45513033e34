using Stackvault.Storage;
using Stackvault.Storage.AzureBlob;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.AzureBlob;

/// <summary>Runs the storage conformance suite unchanged on an AzureStorage against a real Azurite (a new container per test, created by CreateLayoutAsync), plus Azure-only facts.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageConformanceTests(AzuriteFixture server) : StorageConformanceTests
{
    private string _container = string.Empty;

    protected override ValueTask<IStorage> CreateStorageAsync()
    {
        _container = AzuriteFixture.NewContainerName();
        return ValueTask.FromResult<IStorage>(new AzureStorage(server.Options(_container, "team/repo")));
    }

    [Fact]
    public async Task SaveAsync_AboveSingleUploadLimit_StagedBlocksReadBackIdentical_AndNeverOverwritten()
    {
        await using var storage = new AzureStorage(server.Options(_container, "big") with { SingleUploadLimit = 2 * AzureStorageOptions.MiB, BlockSize = AzureStorageOptions.MiB });
        var handle = NewHandle(ObjectKind.Pack);
        var data = RandomBytes((5 * 1024 * 1024) + 123);

        await storage.SaveAsync(handle, data, CancellationToken.None);

        Assert.Equal(data, await storage.ReadAllAsync(handle, CancellationToken.None));
        var middle = new byte[4096];
        await storage.ReadAtAsync(handle, (1024 * 1024) - 100, middle, CancellationToken.None);
        Assert.Equal(data.AsSpan((1024 * 1024) - 100, 4096).ToArray(), middle);
        await Assert.ThrowsAsync<Stackvault.Errors.ObjectExistsException>(async () => await storage.SaveAsync(handle, RandomBytes(10), CancellationToken.None));
        Assert.Equal(data, await storage.ReadAllAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_Object_StoredUnderPrefixedBlobName()
    {
        var handle = NewHandle(ObjectKind.Index);
        await Storage.SaveAsync(handle, RandomBytes(7), CancellationToken.None);

        var names = new List<string>();
        await foreach (var blob in server.CreateClient().GetBlobContainerClient(_container).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["team/repo/index/" + handle.Name], names);
    }
}
