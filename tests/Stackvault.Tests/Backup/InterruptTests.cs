using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

public class InterruptTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Backup_Signalled_Exits130LeavesNoSnapshotNoLockAndDataIsReused(string signal)
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(12);
        for (var i = 0; i < 30; i++)
        {
            generator.File(Path.Combine(source, $"f{i:00}"), 8_000_000, compressible: false);
        }

        var repository = temp.Sub("repo");
        var cli = new CliRunner(repository);
        await cli.InitAsync("--pack-size", "4");
        using (var process = cli.Start("backup", source))
        {
            // Wait until some packs are stored, then signal.
            var clock = Stopwatch.StartNew();
            while (RepositoryFiles.Objects(repository, "data").Length < 3 && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }

            using (var kill = Process.Start("kill", $"-{signal} {process.Id}"))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync();
            Assert.Equal(130, process.ExitCode);
        }

        Assert.Empty(RepositoryFiles.Objects(repository, "snapshots"));
        Assert.Empty(RepositoryFiles.Objects(repository, "locks"));
        Assert.NotEmpty(RepositoryFiles.Objects(repository, "index"));

        var next = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        var added = next.GetProperty("data_added").GetInt64();
        Assert.True(added < 30L * 8_000_000 - 8_000_000, $"the next backup re-stored {added} bytes: the interrupted run's data was not reused");
        await cli.RunOkAsync("verify", "--read-data");
    }
}
