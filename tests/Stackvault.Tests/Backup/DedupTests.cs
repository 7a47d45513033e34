using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

public class DedupTests
{
    [Fact]
    public async Task Backup_UnchangedTree_AddsNoDataAndReadsNoFile()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(5);
        for (var i = 0; i < 40; i++)
        {
            generator.File(Path.Combine(source, $"d{i % 4}", $"f{i}"), 300_000, compressible: false);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var first = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        Assert.True(first.GetProperty("data_added").GetInt64() >= 40 * 300_000);
        var second = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        // Only trees may be new (the parents of the source, e.g. /tmp, change their mtime); no data blob.
        Assert.Equal(0, second.GetProperty("data_blobs").GetInt64());
        Assert.True(second.GetProperty("data_added").GetInt64() < 4096, second.ToString());
        Assert.Equal(40, second.GetProperty("files_unmodified").GetInt64());
        Assert.Equal(0, second.GetProperty("bytes_read").GetInt64());
        Assert.Equal(40 * 300_000, second.GetProperty("total_bytes_processed").GetInt64());
        Assert.Equal(first.GetProperty("snapshot_id").GetString(), second.GetProperty("parent").GetString());
    }

    [Fact]
    public async Task Backup_OnePercentOfFilesChanged_AddsAboutOnePercent()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(6);
        for (var i = 0; i < 100; i++)
        {
            generator.File(Path.Combine(source, $"d{i % 10}", $"f{i:000}"), 400_000, compressible: false);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var first = (await cli.RunOkAsync("backup", source, "--json")).Message("summary").GetProperty("data_added").GetInt64();
        generator.File(Path.Combine(source, "d0", "f050"), 400_000, compressible: false);
        var second = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        var added = second.GetProperty("data_added").GetInt64();
        Assert.InRange(added, 400_000, (long)(first * 0.015));
        Assert.Equal(1, second.GetProperty("files_changed").GetInt64());
        Assert.Equal(99, second.GetProperty("files_unmodified").GetInt64());
    }

    [Fact]
    public async Task Backup_OnePercentChangedInsideLargeFile_AddsOnlyTheChunksAround()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(7);
        generator.File(Path.Combine(source, "big.bin"), 40_000_000, compressible: false);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var first = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        using (var big = new FileStream(Path.Combine(source, "big.bin"), FileMode.Open))
        {
            big.Position = 20_000_000;
            big.Write(generator.Bytes(400_000, compressible: false));
        }

        var second = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        var added = second.GetProperty("data_added").GetInt64();

        // Content-defined chunks resynchronise after the change: a few chunks of ~1.2 MiB are new, not the file.
        // (The chunker seed is random per repository, so the exact count varies between runs.)
        Assert.InRange(added, 400_000, 12_000_000);
        Assert.True(second.GetProperty("data_blobs").GetInt64() <= first.GetProperty("data_blobs").GetInt64() / 3, second.ToString());
    }
}
