using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>
/// SIGTERM during a backup. SIGINT takes the same path (one cancellation in Program for both): it is exercised by
/// CopyInterruptTests (copy) and HookJobTests.Interrupted_PostHooksRun_Exit130 (backup --job).
/// </summary>
public class InterruptTests
{
    [Fact]
    public async Task Backup_Signalled_Exits130LeavesNoSnapshotNoLockAndDataIsReused()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(12);
        var files = 0;
        string repository;
        CliRunner cli;
        // Signal once a few packs are stored. A fast, idle machine can finish the backup before the signal lands (then
        // nothing was interrupted): the source doubles and the run starts over in a fresh repository.
        for (var attempt = 0; ; attempt++)
        {
            for (var add = files == 0 ? 30 : files; add > 0; add--, files++)
            {
                generator.File(Path.Combine(source, $"f{files:000}"), 8_000_000, compressible: false);
            }

            repository = temp.Sub($"repo-{attempt}");
            cli = new CliRunner(repository);
            await cli.InitAsync("--pack-size", "4");
            using var process = cli.Start("backup", source);
            while (!process.HasExited && RepositoryFiles.Objects(repository, "data").Length < 3)
            {
                await Task.Delay(10);
            }

            var signalled = Signals.TrySend(process, Signals.Terminate);
            await process.WaitForExitAsync();
            if (signalled && process.ExitCode != 0)
            {
                Assert.Equal(130, process.ExitCode);
                break;
            }

            Assert.True(attempt < 2, $"the backup of {files} files finished before SIGTERM reached it, {attempt + 1} times");
        }

        Assert.Empty(RepositoryFiles.Objects(repository, "snapshots"));
        Assert.Empty(RepositoryFiles.Objects(repository, "locks"));
        Assert.NotEmpty(RepositoryFiles.Objects(repository, "index"));

        var next = (await cli.RunOkAsync("backup", source, "--json")).Message("summary");
        var added = next.GetProperty("data_added").GetInt64();
        Assert.True(added < files * 8_000_000L - 8_000_000, $"the next backup re-stored {added} bytes: the interrupted run's data was not reused");
        await cli.RunOkAsync("verify", "--read-data");
    }
}
