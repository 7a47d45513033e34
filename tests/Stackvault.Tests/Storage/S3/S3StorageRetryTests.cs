using Stackvault.Errors;
using Stackvault.Storage;
using Stackvault.Storage.S3;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.S3;

/// <summary>Retries and error mapping, through a proxy that injects S3 errors in front of s3rver.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3StorageRetryTests(S3rverFixture server)
{
    [Theory]
    [InlineData(503, "SlowDown")]
    [InlineData(500, "InternalError")]
    public async Task SaveAsync_TransientErrorsFirst_RetriesAndSucceeds(int status, string code)
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 3, status, code);
        await using var storage = Open(proxy, bucket);
        var handle = new ObjectHandle(ObjectKind.Snapshot, "abcdef01");

        await storage.SaveAsync(handle, new byte[] { 1, 2, 3 }, CancellationToken.None);

        Assert.Equal(3, storage.RetryCount);
        Assert.Equal([1, 2, 3], await storage.ReadAllAsync(handle, CancellationToken.None));
    }

    [Fact]
    public async Task StatAsync_AlwaysSlowDown_GivesUpAfterBoundedRetries()
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: int.MaxValue, 503, "SlowDown");
        await using var storage = Open(proxy, bucket);

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await storage.StatAsync(ObjectHandle.Config, CancellationToken.None));

        Assert.Equal(ExitCode.Failure, Stackvault.Cli.ErrorMapper.Map(e).Code);
        Assert.Contains("503", e.Message, StringComparison.Ordinal);
        Assert.Equal(5, proxy.Requests); // 1 + Retries (4)
    }

    [Fact]
    public async Task StatAsync_Forbidden_NotRetriedAndNamesTheKey()
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: int.MaxValue, 403, "AccessDenied");
        await using var storage = Open(proxy, bucket);

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(async () => await storage.StatAsync(ObjectHandle.Config, CancellationToken.None));

        Assert.StartsWith($"access denied to s3://{bucket}/repo/config: check credentials", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Requests);
        Assert.Equal(0, storage.RetryCount);
    }

    [Fact]
    public async Task ReadAllAsync_Absent_NotRetried()
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError");
        await using var storage = Open(proxy, bucket);

        await Assert.ThrowsAsync<ObjectNotFoundException>(async () => await storage.ReadAllAsync(new ObjectHandle(ObjectKind.Index, "ab"), CancellationToken.None));

        Assert.Equal(1, proxy.Requests);
    }

    [Fact]
    public async Task SaveAsync_MultipartPartForbidden_AbortsUploadAndNothingIsVisible()
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) => request.QueryString["partNumber"] == "2", 403, "AccessDenied");
        await using var storage = new S3Storage(new S3StorageOptions(new S3Location(proxy.Endpoint, bucket, "repo"))
        {
            Credentials = S3rverFixture.Credentials,
            MultipartThreshold = 6 * S3StorageOptions.MiB,
            PartSize = 5 * S3StorageOptions.MiB,
        });
        var handle = new ObjectHandle(ObjectKind.Pack, "abcd");

        var e = await Assert.ThrowsAnyAsync<StackvaultException>(
            async () => await storage.SaveAsync(handle, new byte[12 * 1024 * 1024], CancellationToken.None));

        Assert.StartsWith($"access denied to s3://{bucket}/repo/data/ab/abcd", e.Message, StringComparison.Ordinal);
        Assert.Contains(proxy.Log, line => line.StartsWith("DELETE ", StringComparison.Ordinal) && line.Contains("uploadId=", StringComparison.Ordinal));
        Assert.Null(await storage.StatAsync(handle, CancellationToken.None));
        Assert.Empty(await ListAsync(storage));
    }

    [Fact]
    public async Task SaveAsync_RetriedPutThatLanded_Succeeds()
    {
        // PUT 1 reaches s3rver but its answer is a 500; the retried PUT gets the 412 a conditional-write server sends.
        var bucket = await server.NewBucketAsync();
        var puts = 0;
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) =>
            request.HttpMethod != "PUT" ? null : Interlocked.Increment(ref puts) switch
            {
                1 => new Fault(500, "InternalError", ForwardFirst: true),
                2 => new Fault(412, "PreconditionFailed"),
                _ => null,
            });
        await using var storage = Open(proxy, bucket);
        var handle = new ObjectHandle(ObjectKind.Index, "abcd");

        await storage.SaveAsync(handle, new byte[] { 4, 5, 6 }, CancellationToken.None);

        Assert.Equal([4, 5, 6], await storage.ReadAllAsync(handle, CancellationToken.None));
        Assert.Equal(1, storage.RetryCount);
    }

    [Theory]
    [InlineData(false)] // the first PUT is refused: somebody else's object
    [InlineData(true)] // the first PUT never landed, the retry is refused: the ETag is not ours
    public async Task SaveAsync_PreconditionFailedForForeignObject_ThrowsObjectExists(bool afterRetry)
    {
        var bucket = await server.NewBucketAsync();
        var puts = 0;
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) =>
            request.HttpMethod != "PUT" ? null : (Interlocked.Increment(ref puts), afterRetry) switch
            {
                (1, true) => new Fault(500, "InternalError"),
                (1, false) or (2, true) => new Fault(412, "PreconditionFailed"),
                _ => null,
            });
        await using var storage = Open(proxy, bucket);
        var handle = new ObjectHandle(ObjectKind.Index, "abcd");

        var e = await Assert.ThrowsAsync<ObjectExistsException>(async () => await storage.SaveAsync(handle, new byte[] { 7 }, CancellationToken.None));

        Assert.Equal(handle, e.Handle);
    }

    private static async Task<List<ObjectInfo>> ListAsync(S3Storage storage)
    {
        var result = new List<ObjectInfo>();
        await foreach (var info in storage.ListAsync(ObjectKind.Pack, CancellationToken.None))
        {
            result.Add(info);
        }

        return result;
    }

    private static S3Storage Open(FaultingS3Proxy proxy, string bucket) =>
        new(new S3StorageOptions(new S3Location(proxy.Endpoint, bucket, "repo"))
        {
            Credentials = S3rverFixture.Credentials,
            Retries = 4,
            Time = InstantTimeProvider.Instance,
        });
}
