using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>The Thanos, Tempo and Loki layouts end to end: report, snapshot contents, restore read back by rclone.</summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketLayoutsTests(S3rverFixture server)
{
    private const string TempoFixture = "/work/shared/fixtures/tempo/single-tenant/b27b0e53-66a0-4505-afd6-434ae3cd4a10";

    [Fact]
    public async Task Thanos_DeletionMarkInBlockAndNoCompactMark_MarkedBlockAndMarkersLeftOut_OthersBackedUpAndRestored()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("thanos");
        var blocks = TsdbBlocks.All;
        var (a, b, marked) = (TsdbBlocks.NewUlid(1), TsdbBlocks.NewUlid(2), TsdbBlocks.NewUlid(3));
        TsdbBlocks.CopyAs(blocks[0], Path.Combine(root, a), a, thanosFiles: true);
        TsdbBlocks.CopyAs(blocks[1], Path.Combine(root, b), b, thanosFiles: true);
        File.WriteAllText(Path.Combine(root, b, "no-compact-mark.json"), "{\"id\":\"" + b + "\",\"version\":1,\"reason\":\"manual\"}");
        TsdbBlocks.CopyAs(blocks[2], Path.Combine(root, marked), marked, thanosFiles: true);
        File.WriteAllText(Path.Combine(root, marked, "deletion-mark.json"), "{\"id\":\"" + marked + "\",\"deletion_time\":1715061600,\"version\":1}");
        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();

        var report = (await bed.Cli.RunOkAsync("bucket", "verify", "--source", bed.Url(bucket), "--layout", "thanos", "--json")).Json();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "thanos");
        var target = await server.NewBucketAsync();
        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target));

        var states = report.GetProperty("blocks").EnumerateArray().ToDictionary(x => x.GetProperty("id").GetString()!, x => x.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?> { [a] = "complete", [b] = "complete", [marked] = "marked" }, states);
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        Assert.Equal(2, report.GetProperty("left_out").GetProperty("markers").GetInt32()); // the marked block's deletion mark and b's no-compact-mark.json
        var expected = BucketTestBed.Files(root).Where(k => !k.StartsWith(marked, StringComparison.Ordinal) && !k.EndsWith("no-compact-mark.json", StringComparison.Ordinal));
        BucketTestBed.AssertSameObjects(root, expected, copy);
    }

    [Fact]
    public async Task Tempo_RealBlock_TenantIndexPartialAndCompactedLeftOut_RestoredByteIdentical()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("tempo");
        var tenant = Path.Combine(root, "single-tenant");
        Copy(TempoFixture, Path.Combine(tenant, "b27b0e53-66a0-4505-afd6-434ae3cd4a10"));
        var partial = Path.Combine(tenant, "11111111-2222-3333-4444-555555555555");
        Copy(TempoFixture, partial);
        File.Delete(Path.Combine(partial, "meta.json"));
        var compacted = Path.Combine(tenant, "66666666-7777-8888-9999-000000000000");
        Copy(TempoFixture, compacted);
        File.Move(Path.Combine(compacted, "meta.json"), Path.Combine(compacted, "meta.compacted.json"));
        File.WriteAllBytes(Path.Combine(tenant, "index.json.gz"), [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();

        var backup = await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "tempo", "--json");
        var target = await server.NewBucketAsync();
        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target) + "/traces");

        var counts = backup.Message("report").GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("blocks_complete").GetInt64());
        Assert.Equal(1, counts.GetProperty("blocks_partial").GetInt64());
        Assert.Equal(1, counts.GetProperty("blocks_marked").GetInt64());
        Assert.Equal(1, counts.GetProperty("left_out_index").GetInt64());
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target + "/traces", copy);
        BucketTestBed.AssertSameObjects(root, BucketTestBed.Files(root).Where(k => k.Contains("b27b0e53", StringComparison.Ordinal)), copy);
    }

    [Fact]
    public async Task Loki_FilesystemBucket_EverythingBackedUp_TenantRestoreTakesTenantAndSharedObjects()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("loki");
        var logs = Directory.GetFiles("/work/shared/fixtures/loki-logs").Order(StringComparer.Ordinal).ToList();
        Put(root, "loki_cluster_seed.json", "{\"UID\":\"abc\"}");
        Put(root, "index/index_19850/fake/1715040000-ingester-0-1715061600.tsdb.gz", "tsdb-index-fake");
        Put(root, "index/index_19850/other/1715040000-ingester-0-1715061600.tsdb.gz", "tsdb-index-other");
        Put(root, "rules/fake/alerts.yaml", "groups: []\n");
        for (var i = 0; i < logs.Count; i++)
        {
            var tenantName = i % 2 == 0 ? "fake" : "other";
            File.Copy(logs[i], Put(root, $"{tenantName}/{i:x8}/18f4a:18f4b:{i:x8}", string.Empty), overwrite: true);
        }

        await bed.Cli.InitAsync();
        await bed.Cli.RunOkAsync("bucket", "backup", "--source", root, "--layout", "loki");
        var target = await server.NewBucketAsync();

        await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--tenant", "fake");

        var all = BucketTestBed.Files(root);
        var expected = all.Where(k => !k.Contains("other", StringComparison.Ordinal)).ToList();
        Assert.Contains("loki_cluster_seed.json", expected);
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(root, expected, copy);
        var restored = bed.Temp.Sub("restored");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", restored);
        BucketTestBed.AssertSameObjects(root, all, Path.Combine(restored, "bucket"));
    }

    private static string Put(string root, string key, string text)
    {
        var path = Path.Combine(root, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
