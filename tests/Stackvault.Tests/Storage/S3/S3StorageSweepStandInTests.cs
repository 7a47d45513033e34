using Stackvault.Storage.S3;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Storage.S3;

/// <summary>
/// Sweeping incomplete multipart uploads: against a stand-in for ListMultipartUploads/AbortMultipartUpload (s3rver
/// has neither), and against the real s3rver, which answers 501: noted, not an error, not retried.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class S3StorageSweepStandInTests(S3rverFixture server)
{
    [Fact]
    public async Task SweepAbandonedAsync_StandInListsOldAndYoungUploadsOverPages_AbortsOnlyOldOnesUnderThePrefix()
    {
        var now = DateTimeOffset.UtcNow;
        await using var standIn = new S3UploadsStandIn(
        [
            ("repo/data/00/aa", "old-1", now.AddHours(-5)),
            ("repo/data/01/bb", "young", now.AddMinutes(-2)),
            ("repo/data/02/cc", "old-2", now.AddHours(-2)),
            ("repo/index/dd", "old-3", now.AddDays(-3)),
            ("other/data/00/ee", "foreign", now.AddDays(-9)),
        ]);
        await using var storage = Open(standIn.Endpoint, "b");

        var result = await storage.SweepAbandonedAsync(now.AddHours(-1), CancellationToken.None);

        Assert.Equal(3, result.Removed);
        Assert.Null(result.Note);
        Assert.Equal(["b/repo/data/00/aa#old-1", "b/repo/data/02/cc#old-2", "b/repo/index/dd#old-3"], standIn.Aborted.Order(StringComparer.Ordinal));
        Assert.True(standIn.ListQueries.Count >= 2, "the listing was not paged");
    }

    [Fact]
    public async Task SweepAbandonedAsync_S3rverWithoutListing_NotesItWithoutRetrying()
    {
        var bucket = await server.NewBucketAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError");
        await using var storage = Open(proxy.Endpoint, bucket);

        var result = await storage.SweepAbandonedAsync(DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(0, result.Removed);
        Assert.Contains("lifecycle rule", result.Note, StringComparison.Ordinal);
        Assert.Equal(1, proxy.Requests);
    }

    private static S3Storage Open(Uri endpoint, string bucket) =>
        new(new S3StorageOptions(new S3Location(endpoint, bucket, "repo"))
        {
            Credentials = S3rverFixture.Credentials,
            Time = InstantTimeProvider.Instance,
        });
}
