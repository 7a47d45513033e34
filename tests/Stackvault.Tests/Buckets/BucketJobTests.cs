using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary><c>type: bucket</c> in a job (<c>backup --job</c>): the selection and the report's section, incremental by ETag.</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketJobTests(S3rverFixture server)
{
    [Fact]
    public async Task Job_MimirBucketComponent_SectionPartialForCorruptBlock_SecondRunReusesEveryObject()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var config = JobManifests.WriteConfig(bed.Temp, bed.Cli.Repository, $"""
            components:
              metrics: {"{"} type: bucket, url: "{bed.Url(bucket)}", layout: mimir, tenants: [t1], keep: [index] {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [metrics] {"}"}
            """);
        await bed.Cli.RunOkAsync("config", "validate", "--config", config);

        await bed.Cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config);
        var second = await bed.Cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        var snapshot = (await JobManifests.AllAsync(bed.Cli.Repository))[^1];
        var section = JobManifests.Section(snapshot, "metrics");
        Assert.Equal(ComponentStatus.Partial, section.Status);
        Assert.Contains(layout.Corrupt.Split('/')[1], section.Error, StringComparison.Ordinal);
        var expected = layout.DefaultSelection.Where(k => k.StartsWith("t1/", StringComparison.Ordinal)).Append("t1/bucket-index.json.gz").ToList();
        Assert.Equal(expected.Count, second.Message("summary").GetProperty("files_unmodified").GetInt32());
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--component", "metrics", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, expected, restored);
    }

    [Fact]
    public async Task Job_UnchangedBucket_SecondRunCostsTheListingOnly_ForceReadsEveryMetaJsonAgain()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError");
        var config = JobManifests.WriteConfig(bed.Temp, bed.Cli.Repository, $"""
            components:
              metrics: {"{"} type: bucket, url: "{bed.Url(bucket, proxy.Endpoint)}", layout: mimir {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [metrics] {"}"}
            """);
        await bed.Cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config);
        Assert.Equal(layout.DefaultSelection.Select(k => $"GET /{bucket}/{k}"), BucketTestBed.ObjectGets(proxy, 0).Order(StringComparer.Ordinal));
        var firstRun = proxy.Log.Count;

        var unchanged = await bed.Cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        Assert.Empty(BucketTestBed.ObjectGets(proxy, firstRun)); // listing only: every meta.json came from the first run's snapshot
        Assert.Equal(layout.DefaultSelection.Count, unchanged.Message("summary").GetProperty("files_unmodified").GetInt32());
        var section = JobManifests.Section((await JobManifests.AllAsync(bed.Cli.Repository))[^1], "metrics");
        Assert.Equal(4, section.Checks!["blocks_complete"]); // the blocks were judged from those meta.json files
        Assert.Equal(1, section.Checks!["blocks_corrupt"]);

        var secondRun = proxy.Log.Count;
        await bed.Cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--force");

        var metas = layout.DefaultSelection.Where(k => k.EndsWith("/meta.json", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(metas);
        Assert.Equal(layout.DefaultSelection.Select(k => $"GET /{bucket}/{k}"), BucketTestBed.ObjectGets(proxy, secondRun).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Config_UnknownKeepKind_IsAProblemWithItsPath()
    {
        using var bed = new BucketTestBed(server);
        var config = JobManifests.WriteConfig(bed.Temp, bed.Cli.Repository, """
            components:
              metrics: { type: bucket, url: "s3://my-bucket/mimir", layout: mimir, keep: [everything] }
            jobs:
              nightly: { repository: main, components: [metrics] }
            """);

        var result = await bed.Cli.ExpectAsync(2, "config", "validate", "--config", config);

        Assert.Contains("components.metrics.keep", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
