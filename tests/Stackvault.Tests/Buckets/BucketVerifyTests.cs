using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary><c>bucket verify</c> against a Mimir bucket in s3rver made of real promtool blocks.</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketVerifyTests(S3rverFixture server)
{
    [Fact]
    public async Task Verify_MimirBucket_ReportsEachBlockStateAndOverlapsAndExitsOneForCorrupt()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();

        var result = await bed.Cli.ExpectAsync(1, "bucket", "verify", "--source", bed.Url(bucket), "--layout", "mimir", "--json");

        var report = result.Json();
        var states = report.GetProperty("blocks").EnumerateArray().ToDictionary(b => b.GetProperty("tenant").GetString() + "/" + b.GetProperty("id").GetString(), b => b.GetProperty("state").GetString());
        Assert.Equal(7, states.Count);
        Assert.All(layout.Complete, b => Assert.Equal("complete", states[b]));
        Assert.Equal("partial", states[layout.Partial]);
        Assert.Equal("corrupt", states[layout.Corrupt]);
        Assert.Equal("marked", states[layout.Marked]);
        var corrupt = report.GetProperty("blocks").EnumerateArray().Single(b => b.GetProperty("state").GetString() == "corrupt");
        Assert.Contains("chunks/000001 is", corrupt.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var overlap = Assert.Single(report.GetProperty("overlaps").EnumerateArray());
        Assert.Equal("t1", overlap.GetProperty("tenant").GetString());
        Assert.Equal([layout.Complete[0].Split('/')[1], layout.Complete[2].Split('/')[1]], new[] { overlap.GetProperty("first").GetString(), overlap.GetProperty("second").GetString() }.Order(StringComparer.Ordinal));
        var leftOut = report.GetProperty("left_out");
        Assert.Equal(1, leftOut.GetProperty("index").GetInt32());
        Assert.Equal(1, leftOut.GetProperty("cluster").GetInt32());
        Assert.Equal(1, leftOut.GetProperty("markers").GetInt32());
    }

    [Fact]
    public async Task Verify_TenantFilterAndTable_OnlyThatTenantAndExitsZeroWithoutCorruptBlocks()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();

        var result = await bed.Cli.RunOkAsync("bucket", "verify", "--source", bed.Url(bucket), "--layout", "mimir", "--tenant", "t2");

        Assert.Contains(layout.Complete[3].Split('/')[1], result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(layout.Complete[0].Split('/')[1], result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 complete, 0 partial, 0 corrupt, 0 marked blocks", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--layout", "prometheus")]
    [InlineData("--shard", "3/3")]
    [InlineData("--shard", "x")]
    [InlineData("--keep", "everything")]
    public async Task Verify_BadOption_ExitsUsageWithOneLine(string option, string value)
    {
        using var bed = new BucketTestBed(server);
        string[] args = option == "--layout"
            ? ["bucket", "verify", "--source", bed.Url("sv-absent-bucket"), option, value]
            : ["bucket", "verify", "--source", bed.Url("sv-absent-bucket"), "--layout", "mimir", option, value];

        var result = await bed.Cli.ExpectAsync(2, args);

        Assert.Contains(value, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_ThanosWithTenant_ExitsUsage()
    {
        using var bed = new BucketTestBed(server);

        var result = await bed.Cli.ExpectAsync(2, "bucket", "verify", "--source", bed.Temp.Path, "--layout", "thanos", "--tenant", "t1");

        Assert.Contains("no tenant prefixes", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingBucket_ExitsRepositoryNotFound()
    {
        using var bed = new BucketTestBed(server);

        var result = await bed.Cli.ExpectAsync(10, "bucket", "verify", "--source", bed.Url("sv-no-such-bucket"), "--layout", "mimir");

        Assert.Contains("sv-no-such-bucket", result.Stderr, StringComparison.Ordinal);
    }
}
