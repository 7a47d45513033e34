using Stackvault.Buckets;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>The scanner on a directory bucket (filesystem backend): hostile and broken meta.json files, real blocks.</summary>
public sealed class BucketScannerTests
{
    [Fact]
    public async Task Scan_BrokenMetaFiles_AreCorruptWithTheReason_RealBlockComplete()
    {
        using var temp = new TempDirectory();
        var good = TsdbBlocks.NewUlid(1);
        TsdbBlocks.CopyAs(TsdbBlocks.All[0], Path.Combine(temp.Path, "t", good), good, thanosFiles: false);
        var notJson = Block(temp, 2, "{not json");
        var noTimes = Block(temp, 3, "{\"ulid\":\"x\"}");
        var noIndex = Block(temp, 4, "{\"minTime\":1,\"maxTime\":2}");
        var huge = Block(temp, 5, string.Empty);
        using (var stream = File.OpenWrite(Path.Combine(temp.Path, "t", huge, "meta.json")))
        {
            stream.SetLength(17L * 1024 * 1024); // sparse: never read
        }

        await using var store = new DirectoryBucketStore(temp.Path);
        var report = await new BucketScanner(store, new BucketScanOptions { Layout = BucketLayout.Mimir }).ScanAsync(CancellationToken.None);

        var byId = report.Blocks.ToDictionary(b => b.Id);
        Assert.Equal(BlockState.Complete, byId[good].State);
        Assert.All(new[] { notJson, noTimes, noIndex, huge }, id => Assert.Equal(BlockState.Corrupt, byId[id].State));
        Assert.Contains("unreadable", byId[notJson].Problem, StringComparison.Ordinal);
        Assert.Contains("minTime", byId[noTimes].Problem, StringComparison.Ordinal);
        Assert.Contains("index missing", byId[noIndex].Problem, StringComparison.Ordinal);
        Assert.Contains("more than a meta.json", byId[huge].Problem, StringComparison.Ordinal);
        Assert.All(report.Blocks, b => Assert.True(b.Selected)); // corrupt blocks are still backed up
    }

    [Fact]
    public async Task Scan_AbsentDirectory_ExitsRepositoryNotFound()
    {
        await using var store = new DirectoryBucketStore("/nonexistent/sv-bucket");

        var e = await Assert.ThrowsAnyAsync<Errors.StackvaultException>(async () => await new BucketScanner(store, new BucketScanOptions { Layout = BucketLayout.Loki }).ScanAsync(CancellationToken.None));

        Assert.Equal(Errors.ExitCode.RepositoryNotFound, Stackvault.Cli.ErrorMapper.Map(e).Code);
    }

    private static string Block(TempDirectory temp, int n, string meta)
    {
        var id = TsdbBlocks.NewUlid(n);
        var dir = Directory.CreateDirectory(Path.Combine(temp.Path, "t", id, "chunks")).Parent!.FullName;
        File.WriteAllText(Path.Combine(dir, "chunks", "000001"), "c");
        File.WriteAllText(Path.Combine(dir, "meta.json"), meta);
        return id;
    }
}
