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
        const int FileSize = 1_000_000;
        var files = 0;
        CliRunner cli = null!;
        var data = string.Empty;
        // Kill once about 75% of the packs are uploaded (well past the old 64-pack index interval's reach). A fast,
        // idle machine can finish before the poll sees that: then the source doubles and the run starts over in a
        // fresh repository (a kill that never happened proves nothing).
        for (var attempt = 0; ; attempt++)
        {
            for (var add = files == 0 ? 48 : files; add > 0; add--, files++)
            {
                generator.File(Path.Combine(source, $"f{files:D3}.bin"), FileSize, compressible: false);
            }

            cli = new CliRunner(temp.Sub($"repo-{attempt}"));
            await cli.InitAsync("--pack-size", "1");
            data = Path.Combine(cli.Repository, "data");
            using var process = cli.Start("backup", source);
            while (!process.HasExited && CountPacks(data) < files * 3 / 4)
            {
                await Task.Delay(10);
            }

            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
                break;
            }

            Assert.True(attempt < 3, $"the backup of {files} MB finished before it could be killed, {attempt + 1} times");
        }

        var uploaded = CountPacks(data);
        Assert.NotEmpty(RepositoryFiles.Objects(cli.Repository, "index"));
        var next = await cli.RunOkAsync("backup", source, "--json");
        var added = next.Message("summary").GetProperty("data_added").GetInt64();
        var total = (long)files * FileSize;
        Assert.True(added < total / 2, $"the next backup added {added} of {total} bytes after a kill with {uploaded} packs uploaded: checkpoints were not reused");
        await cli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source, compareDirMtime: false);
    }

    private static int CountPacks(string data) =>
        Directory.Exists(data) ? Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories).Count(f => !Path.GetFileName(f).StartsWith(".tmp", StringComparison.Ordinal)) : 0;
}
