using Stackvault.Errors;
using Stackvault.Storage;
using Stackvault.Storage.AzureBlob;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.AzureBlob;

/// <summary>Retries and error mapping of the Azure backend, through the fault-injecting proxy in front of Azurite; delays on an instant TimeProvider.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureStorageFaultTests(AzuriteFixture server)
{
    [Theory]
    [InlineData(503, "ServerBusy")]
    [InlineData(500, "InternalError")]
    public async Task SaveAsync_TransientErrorsFirst_RetriedAndSucceeds(int status, string code)
    {
        var container = await server.NewContainerAsync();
        await using var proxy = new FaultingS3Proxy(new Uri($"http://127.0.0.1:{server.Port}"), failures: 3, status, code);
        await using var storage = Open(proxy, container);
        var handle = new ObjectHandle(ObjectKind.Snapshot, "abcdef01");

        await storage.SaveAsync(handle, new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal(3, storage.RetryCount);
        Assert.Equal([1, 2, 3], await storage.ReadAllAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task ReadAllAsync_AlwaysBusy_GivesUpAfterExactlyOnePlusRetriesAttempts()
    {
        var container = await server.NewContainerAsync();
        await using var proxy = new FaultingS3Proxy(new Uri($"http://127.0.0.1:{server.Port}"), failures: int.MaxValue, 503, "ServerBusy");
        await using var storage = Open(proxy, container);

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await storage.ReadAllAsync(ObjectHandle.Config, CancellationToken.None));

        Assert.Equal(ExitCode.Failure, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, proxy.Requests); // 1 + Retries (4): the SDK's own retries are off
    }

    [Fact]
    public async Task ReadAllAsync_Forbidden_NotRetriedAndNamesTheBlob()
    {
        var container = await server.NewContainerAsync();
        await using var proxy = new FaultingS3Proxy(new Uri($"http://127.0.0.1:{server.Port}"), failures: int.MaxValue, 403, "AuthorizationFailure");
        await using var storage = Open(proxy, container);

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await storage.ReadAllAsync(ObjectHandle.Config, CancellationToken.None));

        Assert.StartsWith($"access denied to azure://{container}/repo/config", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Requests);
    }

    [Fact]
    public async Task SaveAsync_RetriedPutThatLanded_IsRecognisedAsOurs_ForeignObjectIsNot()
    {
        var container = await server.NewContainerAsync();
        var puts = 0;
        await using var proxy = new FaultingS3Proxy(new Uri($"http://127.0.0.1:{server.Port}"), (request, _) =>
            request.HttpMethod == "PUT" && Interlocked.Increment(ref puts) == 1 ? new Fault(500, "InternalError", ForwardFirst: true) : null);
        await using var storage = Open(proxy, container);
        var handle = new ObjectHandle(ObjectKind.Index, "abcd");

        await storage.SaveAsync(handle, new byte[] { 4, 5, 6 }, CancellationToken.None); // the first PUT landed, its answer was lost

        Assert.Equal([4, 5, 6], await storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(1, storage.RetryCount);
        await Assert.ThrowsAsync<ObjectExistsException>(async () => await storage.SaveAsync(handle, new byte[] { 7 }, CancellationToken.None));
    }

    [Fact]
    public async Task Open_MissingContainer_RepositoryNotFound()
    {
        await using var storage = new AzureStorage(server.Options(AzuriteFixture.NewContainerName()));

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await storage.SaveAsync(ObjectHandle.Config, new byte[] { 1 }, CancellationToken.None));

        Assert.Equal(ExitCode.RepositoryNotFound, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    private AzureStorage Open(FaultingS3Proxy proxy, string container) =>
        new(server.Options(container) with
        {
            Account = AzureAccount.FromEnvironment(name => name switch
            {
                "AZURE_STORAGE_ACCOUNT" => AzuriteFixture.Account,
                "AZURE_STORAGE_KEY" => AzuriteFixture.Key,
                "AZURE_STORAGE_BLOB_ENDPOINT" => $"{proxy.Endpoint}{AzuriteFixture.Account}",
                _ => null,
            }),
            Retries = 4,
        });
}
