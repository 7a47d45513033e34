using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>Bucket backup and restore through a proxy injecting S3 errors (503 SlowDown, 500, answers lost after the server acted).</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketFaultTests(S3rverFixture server)
{
    [Fact]
    public async Task BackupAndRestore_ThroughTransientFaults_CompleteAndRepositoryVerifies()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, number) => number switch
        {
            _ when number % 3 == 0 => new Fault(503, "SlowDown"),
            _ when number % 7 == 0 => new Fault(500, "InternalError", ForwardFirst: request.HttpMethod == "PUT"),
            _ => null,
        });

        var backup = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--json");

        var summary = backup.Message("summary");
        Assert.Equal(1, summary.GetProperty("errors").GetInt32()); // the corrupt block only: no object was lost to a fault
        Assert.Equal(layout.DefaultSelection.Count, summary.GetProperty("files_new").GetInt32());
        await bed.Cli.RunOkAsync("verify", "--read-data");
        var target = await server.NewBucketAsync();
        var before = proxy.Requests;

        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target, proxy.Endpoint));

        Assert.True(proxy.Requests - before > layout.DefaultSelection.Count, "the faults were not exercised");
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.RestoredByDefault, copy);
    }

    [Fact]
    public async Task Backup_ServerAlwaysSlowDown_FailsCleanlyWithoutSnapshot()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, _) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: int.MaxValue, 503, "SlowDown");

        var result = await bed.Cli.ExpectAsync(1, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");

        Assert.Contains("503", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await bed.Cli.RunOkAsync("snapshots", "--json")).Json().GetArrayLength());
        await bed.Cli.RunOkAsync("verify");
    }

    [Fact]
    public async Task Backup_ObjectReadsFail_SnapshotPartialNamingThem_AndRepositoryVerifies()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var victim = layout.Complete[1] + "/index";
        await using var proxy = new FaultingS3Proxy(server.Endpoint, (request, _) => request.HttpMethod == "GET" && request.RawUrl!.EndsWith(victim, StringComparison.Ordinal), 500, "InternalError");

        var result = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--json");

        Assert.Contains("/bucket/" + victim, result.Stdout, StringComparison.Ordinal);
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Contains("unreadable", show.GetProperty("components")[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        await bed.Cli.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task Backup_DownloadsCutMidBody_ResumedByRangeRequests_SnapshotCompleteAndByteIdentical()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var cutOnce = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        await using var proxy = new CuttingS3ProxyStandIn(server.Endpoint, request =>
            request.RawUrl!.Contains("/chunks/", StringComparison.Ordinal) && cutOnce.TryAdd(request.RawUrl, true));

        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--tenant", "t2");

        Assert.True(proxy.Cuts >= 1, "no download was cut");
        var show = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        Assert.Equal(0, show.GetProperty("errors").GetArrayLength());
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection.Where(k => k.StartsWith("t2/", StringComparison.Ordinal)), Path.Combine(restored, "bucket"));
    }
}
