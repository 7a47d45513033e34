using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary><c>bucket backup</c> of a Mimir bucket in s3rver: what goes into the snapshot, the report, incrementality, shards.</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketBackupTests(S3rverFixture server)
{
    [Fact]
    public async Task Backup_MimirBucket_TakesCompleteAndCorruptBlocksOnly_PartialWithReportAndVerifies()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();

        var backup = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--json");

        var summary = backup.Message("summary");
        Assert.Equal("partial", summary.GetProperty("status").GetString());
        var snapshot = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot");
        var section = snapshot.GetProperty("components")[0];
        Assert.Equal("bucket", section.GetProperty("type").GetString());
        Assert.Equal("bucket-mimir", section.GetProperty("method").GetString());
        Assert.Equal("partial", section.GetProperty("status").GetString());
        var checks = section.GetProperty("checks");
        Assert.Equal(4, checks.GetProperty("blocks_complete").GetInt64());
        Assert.Equal(1, checks.GetProperty("blocks_corrupt").GetInt64());
        Assert.Equal(1, checks.GetProperty("blocks_partial").GetInt64());
        Assert.Equal(1, checks.GetProperty("blocks_marked").GetInt64());
        Assert.Equal(1, checks.GetProperty("overlaps").GetInt64());
        Assert.Equal(layout.DefaultSelection.Count, checks.GetProperty("objects").GetInt64());
        var error = Assert.Single(snapshot.GetProperty("errors").EnumerateArray());
        Assert.Equal("/bucket/" + layout.Corrupt, error.GetProperty("path").GetString());

        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection, Path.Combine(restored, "bucket"));
        await bed.Cli.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task Backup_KeepEverything_TakesMarkedPartialMarkersIndexAndCluster()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();

        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--keep", "marked,partial", "--keep", "markers", "--keep", "index", "--keep", "cluster");

        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.Keys, Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Backup_SecondRun_DownloadsOnlyTheChangedObject()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError");
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir");
        var firstRun = proxy.Log.Count;
        // same size, other bytes: only the ETag tells the change
        var changed = layout.Complete[3] + "/tombstones";
        var local = Path.Combine(layout.Root, changed);
        var bytes = File.ReadAllBytes(local);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(local, bytes);
        await Rclone.RunAsync(server, "copyto", local, $"sv:{bucket}/{changed}");

        var second = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket, proxy.Endpoint), "--layout", "mimir", "--json");

        Assert.Equal([$"GET /{bucket}/{changed}"], BucketTestBed.ObjectGets(proxy, firstRun));
        var summary = second.Message("summary");
        Assert.Equal(layout.DefaultSelection.Count - 1, summary.GetProperty("files_unmodified").GetInt32());
        Assert.Equal(1, summary.GetProperty("files_changed").GetInt32());
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection, Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Backup_ReadsEachObjectOnce_UnchangedBucketIssuesNoObjectGet_AndAMetaJsonOfTheSameSizeIsReadAgain()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await using var proxy = new FaultingS3Proxy(server.Endpoint, failures: 0, 500, "InternalError");
        var source = bed.Url(bucket, proxy.Endpoint);
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", source, "--layout", "mimir");
        var firstRun = proxy.Log.Count;
        // the first run reads each selected object once: the scan's meta.json bytes are stored, not downloaded again
        Assert.Equal(layout.DefaultSelection.Select(k => $"GET /{bucket}/{k}"), BucketTestBed.ObjectGets(proxy, 0).Order(StringComparer.Ordinal));

        var unchanged = await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", source, "--layout", "mimir", "--json");

        Assert.Empty(BucketTestBed.ObjectGets(proxy, firstRun)); // listing only: every meta.json came from the parent snapshot
        Assert.Equal(layout.DefaultSelection.Count, unchanged.Message("summary").GetProperty("files_unmodified").GetInt32());
        var status = unchanged.Message("status"); // progress: the unchanged objects count as done
        Assert.Equal("bucket backup", status.GetProperty("action").GetString());
        Assert.Equal(layout.DefaultSelection.Count, status.GetProperty("files_done").GetInt64());
        var report = unchanged.Message("report");
        Assert.Equal(4, report.GetProperty("counts").GetProperty("blocks_complete").GetInt32()); // the blocks were judged from the parent's meta.json
        Assert.Equal(1, report.GetProperty("counts").GetProperty("blocks_corrupt").GetInt32());

        // same size, new ETag: a tab for a space in the JSON's indentation
        var meta = layout.Complete[1] + "/meta.json";
        var local = Path.Combine(layout.Root, meta);
        var text = File.ReadAllText(local);
        var indent = text.IndexOf("\n ", StringComparison.Ordinal) + 1;
        File.WriteAllText(local, text[..indent] + "\t" + text[(indent + 1)..]);
        await Rclone.RunAsync(server, "copyto", local, $"sv:{bucket}/{meta}");
        var secondRun = proxy.Log.Count;

        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", source, "--layout", "mimir");

        Assert.Equal([$"GET /{bucket}/{meta}"], BucketTestBed.ObjectGets(proxy, secondRun)); // read once, by the scan; the backup stores those bytes
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection, Path.Combine(restored, "bucket"));
    }

    [Fact]
    public async Task Backup_ThreeShards_CoverTheSelectionOnceAndAreTagged()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        var seen = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var result = await bed.Cli.RunAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--shard", $"{i}/3", "--host", $"pod-{i}", "--tag", "nightly");
            Assert.True(result.ExitCode is 0 or 3, result.ToString());
            var restored = bed.Temp.Sub($"shard{i}");
            await bed.Cli.RunOkAsync("restore", "latest", "--host", $"pod-{i}", "--target", restored);
            seen.AddRange(BucketTestBed.Files(Path.Combine(restored, "bucket")));
        }

        Assert.Equal(layout.DefaultSelection, seen.Order(StringComparer.Ordinal));
        var tagged = await bed.Cli.RunOkAsync("snapshots", "--tag", "shard=1/3", "--json");
        Assert.Contains("pod-1", tagged.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("pod-2", tagged.Stdout, StringComparison.Ordinal);
        var group = Assert.Single((await bed.Cli.RunOkAsync("snapshots", "--json", "--bucket-groups")).Json().EnumerateArray());
        Assert.Equal(3, group.GetProperty("shards").GetInt32());
        Assert.True(group.GetProperty("complete").GetBoolean());
        Assert.Contains("3 shards: 0/3 ", (await bed.Cli.RunOkAsync("snapshots")).Stdout, StringComparison.Ordinal);
    }
}
