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
        Assert.Equal(0, second.GetProperty("data_added").GetInt64());
        Assert.Equal(40, second.GetProperty("files_unmodified").GetInt64());
        Assert.Equal(0, second.GetProperty("total_bytes_processed").GetInt64());
        Assert.Equal(first.GetProperty("snapshot_id").GetString(), second.GetProperty("parent").GetString());
    }

    [Fact]
    public async Task Backup_OnePercentChanged_AddsAboutOnePercent()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(6);
        for (var i = 0; i < 100; i++)
        {
            generator.File(Path.Combine(source, $"f{i:000}"), 400_000, compressible: false);
        }

        generator.File(Path.Combine(source, "big.bin"), 40_000_000, compressible: false);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption");
        var first = (await cli.RunOkAsync("backup", source, "--json")).Message("summary").GetProperty("data_added").GetInt64();

        // 1%: one small file rewritten, and 400 KB changed in the middle of the big file.
        generator.File(Path.Combine(source, "f050"), 400_000, compressible: false);
        using (var big = new FileStream(Path.Combine(source, "big.bin"), FileMode.Open))
        {
            big.Position = 20_000_000;
            big.Write(generator.Bytes(400_000, compressible: false));
        }

        var added = (await cli.RunOkAsync("backup", source, "--json")).Message("summary").GetProperty("data_added").GetInt64();
        var share = (double)added / first;
        Assert.True(share < 0.06, $"a 1% change added {added} of {first} bytes ({share:P1})");
        Assert.True(added >= 800_000, $"the changed bytes must be stored: added {added}");
    }
}
