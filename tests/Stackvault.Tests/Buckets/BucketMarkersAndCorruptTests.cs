using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Issue 18 items 5 and 7: Mimir markers (block-local no-compact-mark.json and the global <c>&lt;tenant&gt;/markers/</c>
/// copies) are left out together unless <c>--keep markers</c> and counted in left_out_markers; <c>bucket restore</c>
/// leaves a block that was corrupt at backup out unless <c>--include-corrupt</c>, and never uploads a meta.json
/// without the files it lists. (Under --json the warnings are "warning" records on stdout.)
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class BucketMarkersAndCorruptTests(S3rverFixture server)
{
    [Fact]
    public async Task Backup_SelectedBlockWithNoCompactMarks_BothCopiesLeftOutAndCounted_KeptTogetherWithKeepMarkers()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("mimir");
        var id = TsdbBlocks.NewUlid(1);
        TsdbBlocks.CopyAs(TsdbBlocks.All[0], Path.Combine(root, "t1", id), id, thanosFiles: true);
        var mark = "{\"id\":\"" + id + "\",\"version\":1,\"reason\":\"manual\"}";
        File.WriteAllText(Path.Combine(root, "t1", id, "no-compact-mark.json"), mark);
        Directory.CreateDirectory(Path.Combine(root, "t1", "markers"));
        File.WriteAllText(Path.Combine(root, "t1", "markers", id + "-no-compact-mark.json"), mark);
        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();

        var backup = await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--json");

        Assert.Equal(2, backup.Message("report").GetProperty("left_out").GetProperty("markers").GetInt32());
        var checks = (await bed.Cli.RunOkAsync("show", "latest", "--no-list", "--json")).Json().GetProperty("snapshot").GetProperty("components")[0].GetProperty("checks");
        Assert.Equal(2, checks.GetProperty("left_out_markers").GetInt64());
        var plain = bed.Temp.Sub("plain");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", plain);
        var blockFiles = BucketTestBed.Files(root).Where(k => !k.Contains("mark.json", StringComparison.Ordinal));
        BucketTestBed.AssertSameObjects(root, blockFiles, Path.Combine(plain, "bucket"));

        await bed.Cli.RunOkAsync("bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir", "--keep", "markers", "--force");
        var kept = bed.Temp.Sub("kept");
        await bed.Cli.RunOkAsync("restore", "latest", "--target", kept);
        BucketTestBed.AssertSameObjects(root, BucketTestBed.Files(root), Path.Combine(kept, "bucket"));
    }

    [Fact]
    public async Task Restore_BlockCorruptAtBackup_LeftOutNamed_IncludeCorruptRestoresIt()
    {
        using var bed = new BucketTestBed(server);
        var (bucket, layout) = await bed.MimirBucketAsync();
        await bed.Cli.InitAsync();
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var target = await server.NewBucketAsync();

        var result = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--json");

        Assert.Equal(1, result.Message("summary").GetProperty("blocks_corrupt_left_out").GetInt32());
        Assert.Contains($"block {layout.Corrupt} (chunks/000001 is", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--include-corrupt", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(layout.RestoredByDefault, await Rclone.ListAsync(server, target));

        var again = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(target), "--include-corrupt", "--json");

        Assert.Equal(0, again.Message("summary").GetProperty("blocks_corrupt_left_out").GetInt32());
        Assert.Equal(4, again.Message("summary").GetProperty("objects_uploaded").GetInt32()); // every listed file is there (one is short): meta.json too
        var copy = bed.Temp.Sub("copy");
        await Rclone.DownloadAsync(server, target, copy);
        BucketTestBed.AssertSameObjects(layout.Root, layout.DefaultSelection, copy);
    }

    [Fact]
    public async Task Restore_BlockWithOnlyMetaJson_NeverUploadsTheLoneMetaJson_EvenWithIncludeCorrupt()
    {
        using var bed = new BucketTestBed(server);
        var root = bed.Temp.Sub("mimir");
        var (good, lone) = (TsdbBlocks.NewUlid(1), TsdbBlocks.NewUlid(2));
        TsdbBlocks.CopyAs(TsdbBlocks.All[0], Path.Combine(root, "t1", good), good, thanosFiles: true);
        TsdbBlocks.CopyAs(TsdbBlocks.All[1], Path.Combine(root, "t1", lone), lone, thanosFiles: true);
        File.Delete(Path.Combine(root, "t1", lone, "index"));
        Directory.Delete(Path.Combine(root, "t1", lone, "chunks"), recursive: true);
        var bucket = await bed.UploadAsync(root);
        await bed.Cli.InitAsync();
        await bed.Cli.ExpectAsync(3, "bucket", "backup", "--source", bed.Url(bucket), "--layout", "mimir");
        var (first, second) = (await server.NewBucketAsync(), await server.NewBucketAsync());

        var plain = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(first), "--json");
        var included = await bed.Cli.RunOkAsync("bucket", "restore", "latest", "--target", bed.Url(second), "--include-corrupt", "--json");

        Assert.Contains($"block t1/{lone} (", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("index missing", plain.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, plain.Message("summary").GetProperty("blocks_corrupt_left_out").GetInt32());
        Assert.Equal(1, included.Message("summary").GetProperty("blocks_meta_withheld").GetInt32());
        Assert.Contains("without its meta.json", included.Stdout, StringComparison.Ordinal);
        var expected = BucketTestBed.Files(root).Where(k => k.StartsWith($"t1/{good}/", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, await Rclone.ListAsync(server, first));
        var withTombstones = BucketTestBed.Files(root).Where(k => k.StartsWith($"t1/{good}/", StringComparison.Ordinal) || k == $"t1/{lone}/tombstones");
        Assert.Equal(withTombstones.Order(StringComparer.Ordinal), await Rclone.ListAsync(server, second));
    }
}
