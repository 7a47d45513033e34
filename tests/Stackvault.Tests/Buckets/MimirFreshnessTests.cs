using System.Text.Json;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// "Mimir: the last two hours": <c>bucket backup</c> on a Mimir layout records the newest block's max time (per
/// tenant and overall) and the gap to now, and calls the ingesters' <c>/ingester/flush</c> (a stand-in here) first.
/// The bucket is a directory: t1 and t2 hold one real block each; the stand-in's flush writes a third, newer block
/// into t1, as ingesters cutting their head block would.
/// </summary>
public sealed class MimirFreshnessTests : IDisposable
{
    private readonly TempDirectory _temp = new("sv-mimir-fresh");
    private readonly CliRunner _cli;
    private readonly string _bucket;

    public MimirFreshnessTests()
    {
        _cli = new CliRunner(_temp.Sub("repo"));
        _bucket = _temp.Sub("bucket");
        var (first, second) = (TsdbBlocks.NewUlid(1), TsdbBlocks.NewUlid(2));
        TsdbBlocks.CopyAs(TsdbBlocks.All[0], Path.Combine(_bucket, "t1", first), first, thanosFiles: true);
        TsdbBlocks.CopyAs(TsdbBlocks.All[1], Path.Combine(_bucket, "t2", second), second, thanosFiles: true);
    }

    private static long MaxTime(int block) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TsdbBlocks.All[block], "meta.json"))).RootElement.GetProperty("maxTime").GetInt64();

    private string FlushedBlock { get; } = "t1/" + TsdbBlocks.NewUlid(3);

    private void CutHeadBlock() => TsdbBlocks.CopyAs(TsdbBlocks.All[2], Path.Combine(_bucket, FlushedBlock), FlushedBlock.Split('/')[1], thanosFiles: true);

    [Fact]
    public async Task Backup_WithFlushUrl_FlushesWithWaitBeforeListing_RecordsNewestMaxTimePerTenantAndGap()
    {
        await _cli.InitAsync();
        using var ingester = new MimirIngesterFlushStandIn(CutHeadBlock);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var backup = await _cli.RunOkAsync("bucket", "backup", "--source", _bucket, "--layout", "mimir", "--flush-url", ingester.FlushUrl, "--json");

        var request = Assert.Single(ingester.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/ingester/flush", request.Path);
        Assert.Contains("wait=true", request.Query, StringComparison.Ordinal);
        var freshness = backup.Message("report").GetProperty("freshness");
        Assert.Equal(MaxTime(2), freshness.GetProperty("newest_max_time").GetInt64());
        Assert.Equal(MaxTime(2), freshness.GetProperty("newest_max_time_per_tenant").GetProperty("t1").GetInt64());
        Assert.Equal(MaxTime(1), freshness.GetProperty("newest_max_time_per_tenant").GetProperty("t2").GetInt64());
        Assert.True(freshness.GetProperty("gap_seconds").GetInt64() >= (before - MaxTime(2)) / 1000);
        Assert.Contains("not in this backup", freshness.GetProperty("note").GetString(), StringComparison.Ordinal);
        var section = JobManifests.Section((await JobManifests.AllAsync(_cli.Repository))[^1], "bucket");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal(MaxTime(2), section.Checks!["newest_max_time_ms"]);
        Assert.Equal(MaxTime(2), section.Checks["newest_max_time_ms.t1"]);
        Assert.Equal(MaxTime(1), section.Checks["newest_max_time_ms.t2"]);
        Assert.True(section.Checks["unflushed_gap_seconds"] >= (before - MaxTime(2)) / 1000);
        Assert.Equal(1, section.Checks["ingester_flush"]);
        // the block the flush cut is in the snapshot: the flush ran (and was awaited) before the bucket was listed
        var restored = _temp.Sub("restored");
        await _cli.RunOkAsync("restore", "latest", "--target", restored);
        Assert.True(File.Exists(Path.Combine(restored, "bucket", FlushedBlock, "meta.json")));
    }

    [Fact]
    public async Task Backup_FlushFails_RunIsPartialWithAWarning_TextSummaryNamesNewestBlock()
    {
        await _cli.InitAsync();
        using var ingester = new MimirIngesterFlushStandIn(() => { }, status: 500);

        var backup = await _cli.ExpectAsync(3, "bucket", "backup", "--source", _bucket, "--layout", "mimir", "--flush-url", ingester.FlushUrl + "?wait=false");

        Assert.Contains("wait=true", Assert.Single(ingester.Requests).Query, StringComparison.Ordinal);
        Assert.DoesNotContain("wait=false", ingester.Requests.Single().Query, StringComparison.Ordinal);
        Assert.Contains("warning: newest block ends", backup.Stdout, StringComparison.Ordinal);
        Assert.Contains("the ingester flush FAILED", backup.Stdout, StringComparison.Ordinal);
        Assert.Contains("newest block of t2: ends", backup.Stdout, StringComparison.Ordinal);
        var snapshot = (await JobManifests.AllAsync(_cli.Repository))[^1];
        var section = JobManifests.Section(snapshot, "bucket");
        Assert.Equal(ComponentStatus.Partial, section.Status);
        Assert.Contains("ingester flush failed", section.Error, StringComparison.Ordinal);
        Assert.Equal(0, section.Checks!["ingester_flush"]);
        Assert.Contains(snapshot.Errors, e => e.Path == "/bucket" && e.Message.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Backup_UnreachableFlushUrl_IsPartialNeverSilent()
    {
        await _cli.InitAsync();

        var backup = await _cli.ExpectAsync(3, "bucket", "backup", "--source", _bucket, "--layout", "mimir", "--flush-url", $"http://127.0.0.1:{Notifications.HttpReceiver.FreePort()}/ingester/flush");

        Assert.Contains("the ingester flush FAILED", backup.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_FlushUrlInConfig_IsCalledAndRecorded()
    {
        await _cli.InitAsync();
        using var ingester = new MimirIngesterFlushStandIn(CutHeadBlock);
        var config = JobManifests.WriteConfig(_temp, _cli.Repository, $"""
            components:
              metrics: {"{"} type: bucket, url: "{_bucket}", layout: mimir, flush_url: "{ingester.FlushUrl}" {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [metrics] {"}"}
            """);

        await _cli.RunOkAsync("backup", "--job", "nightly", "--config", config);

        Assert.Contains("wait=true", Assert.Single(ingester.Requests).Query, StringComparison.Ordinal);
        var section = JobManifests.Section((await JobManifests.AllAsync(_cli.Repository))[^1], "metrics");
        Assert.Equal(MaxTime(2), section.Checks!["newest_max_time_ms.t1"]);
        Assert.Equal(1, section.Checks["ingester_flush"]);
    }

    [Fact]
    public async Task Config_FlushUrlOnAGenericBucket_IsAProblem()
    {
        var config = JobManifests.WriteConfig(_temp, _cli.Repository, $"""
            components:
              dumps: {"{"} type: bucket, url: "{_bucket}", layout: generic, flush_url: "http://mimir:8080/ingester/flush" {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [dumps] {"}"}
            """);

        var result = await _cli.ExpectAsync(2, "config", "validate", "--config", config);

        Assert.Contains("components.dumps.flush_url", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
