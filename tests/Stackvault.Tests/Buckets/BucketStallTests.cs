using System.Collections.Concurrent;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Downloads that stall mid-body (the server sends half an object and then nothing, the connection staying open) or
/// arrive damaged, through <see cref="CuttingS3ProxyStandIn"/>; STACKVAULT_S3_IDLE_TIMEOUT keeps the stalls short.
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketStallTests(S3rverFixture server)
{
    [Fact]
    public async Task Backup_DownloadsStallMidBody_ResumedAfterIdleTimeout_SnapshotCompleteAndByteIdentical()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = "0.5";
        var stalledOnce = new ConcurrentDictionary<string, bool>();
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request =>
            request.RawUrl!.Contains("/chunks/", StringComparison.Ordinal) && stalledOnce.TryAdd(request.RawUrl, true), CuttingS3ProxyStandIn.CutMode.Stall);

        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--tenant", "t2");

        Assert.True(proxy.Cuts >= 1, "no download stalled");
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Equal(0, show.GetProperty("errors").GetArrayLength());
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection.Where(k => k.StartsWith("t2/", StringComparison.Ordinal)), Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Backup_DownloadAlwaysStalls_ObjectReportedUnreadable_SnapshotPartial_RepositoryVerifies()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = "0.3";
        var victim = layout.Complete[0] + "/index";
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), CuttingS3ProxyStandIn.CutMode.Stall);

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Equal(6, proxy.Cuts); // the first read and five resumes, each stalled
        Assert.Contains(victim, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing received for 0.3 s", result.Stderr, StringComparison.Ordinal);
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Single(show.GetProperty("errors").EnumerateArray(), e => e.ToString().Contains(victim, StringComparison.Ordinal));
        await bed.Cli.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task Backup_DownloadDamagedInTransfer_DetectedByEtag_ObjectLeftOut()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[0] + "/index";
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request => request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), CuttingS3ProxyStandIn.CutMode.Corrupt);

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Equal(1, proxy.Cuts);
        Assert.Contains("do not match the object's ETag", result.Stderr, StringComparison.Ordinal);
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        Assert.False(File.Exists(Path.Combine(restored, "bucket", victim)), "the damaged object was stored");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    [InlineData("7200")]
    public async Task Backup_BadIdleTimeout_UsageErrorNamingTheVariable(string value)
    {
        using var bed = new BucketTestBed(server);
        await bed.Cli.InitAsync();
        bed.Cli.Environment["STACKVAULT_S3_IDLE_TIMEOUT"] = value;

        var result = await bed.Cli.ExpectAsync(2, "bucket", "verify", "--source", bed.Url("any-bucket"), "--layout", "mimir");

        Assert.Contains("STACKVAULT_S3_IDLE_TIMEOUT", result.Stderr, StringComparison.Ordinal);
    }
}
