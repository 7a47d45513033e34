using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>Issue 14.8: a SIGKILLed backup loses at most a few packs; the next backup reuses what was uploaded.</summary>
public class CheckpointTests
{
    [Fact]
    public async Task KilledBackup_NextBackupUploadsFarLessThanTheTotal()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(8);
        const int Files = 48;
        const int FileSize = 1_000_000;
        for (var i = 0; i < Files; i++)
        {
            generator.File(Path.Combine(source, $"f{i:D2}.bin"), FileSize, compressible: false);
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--pack-size", "1");
        var data = Path.Combine(cli.Repository, "data");
        using (var process = cli.Start("backup", source))
        {
            // Kill once about 75% of the packs are uploaded (well past the old 64-pack index interval's reach).
            while (!process.HasExited && CountPacks(data) < Files * 3 / 4)
            {
                await Task.Delay(10);
            }

            Assert.False(process.HasExited, "the backup finished before it could be killed; make the source larger");
            process.Kill();
            await process.WaitForExitAsync();
        }

        var uploaded = CountPacks(data);
        Assert.NotEmpty(RepositoryFiles.Objects(cli.Repository, "index"));
        var next = await cli.RunOkAsync("backup", source, "--json");
        var added = next.Message("summary").GetProperty("data_added").GetInt64();
        const long Total = (long)Files * FileSize;
        Assert.True(added < Total / 2, $"the next backup added {added} of {Total} bytes after a kill with {uploaded} packs uploaded: checkpoints were not reused");
        await cli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source, compareDirMtime: false);
    }

    private static int CountPacks(string data) =>
        Directory.Exists(data) ? Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Count(f => !Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal)) : 0;
}
