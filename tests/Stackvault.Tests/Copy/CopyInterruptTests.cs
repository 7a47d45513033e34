using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>SIGINT during a copy: exit 130, no snapshot, no lock left on either side, and the stored data is reused by the rerun.</summary>
public class CopyInterruptTests
{
    [Fact]
    public async Task Copy_Interrupted_Exits130NoSnapshotNoLocksAndRerunReusesData()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(81);
        var files = 0;
        CopyPair pair;
        // Signal once the first pack is stored. A fast machine, or a test thread that polls late on a loaded one, can
        // see the copy finish before the signal lands (then nothing was interrupted: CI saw exit 0 with 120 MB): the
        // source doubles, is backed up again, and its newest snapshot is copied into a fresh destination.
        for (var attempt = 0; ; attempt++)
        {
            for (var add = files == 0 ? 24 : files; add > 0; add--, files++)
            {
                generator.File(Path.Combine(source, $"f{files:000}"), 5_000_000, compressible: false);
            }

            pair = new CopyPair(temp, temp.Sub($"destination-{attempt}"));
            if (attempt == 0)
            {
                await pair.InitAsync();
            }
            else
            {
                await pair.Destination.InitAsync("--pack-size", "1", "--hash", "blake3");
            }

            await pair.Source.RunOkAsync("backup", source);
            using var process = pair.Destination.Start("copy", "--from-repo", pair.Source.Repository, "--latest");
            while (!process.HasExited && RepositoryFiles.Objects(pair.Destination.Repository, "data").Length < 1)
            {
                await Task.Delay(10);
            }

            var signalled = Signals.TrySend(process, Signals.Interrupt);
            await process.WaitForExitAsync();
            if (signalled && process.ExitCode != 0)
            {
                Assert.Equal(130, process.ExitCode);
                break;
            }

            Assert.True(attempt < 2, $"the copy of {files} files finished before SIGINT reached it, {attempt + 1} times");
        }

        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "snapshots"));
        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "locks"));
        Assert.Empty(RepositoryFiles.Objects(pair.Source.Repository, "locks"));
        Assert.NotEmpty(RepositoryFiles.Objects(pair.Destination.Repository, "index"));

        var rerun = await pair.CopyAsync("--latest");

        Assert.Equal(1, rerun.GetProperty("snapshots_copied").GetInt32());
        Assert.True(rerun.GetProperty("blobs_present").GetInt64() >= 2, rerun.ToString()); // stored by the interrupted run, not written again
        // Fewer bytes than the whole source: how many fewer depends on how many packs the interrupted run had stored
        // when the signal came (one file's worth or less when it comes right after the first pack).
        Assert.True(rerun.GetProperty("data_added").GetInt64() < files * 5_000_000L, rerun.ToString());
        await pair.Destination.RunOkAsync("verify", "--read-data");
    }
}
