using System.Diagnostics;
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
        for (var i = 0; i < 24; i++)
        {
            generator.File(Path.Combine(source, $"f{i:00}"), 5_000_000, compressible: false);
        }

        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);
        using (var process = pair.Destination.Start("copy", "--from-repo", pair.Source.Repository))
        {
            var clock = Stopwatch.StartNew();
            while (RepositoryFiles.Objects(pair.Destination.Repository, "data").Length < 1 && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
            }

            Assert.True(Signals.TrySend(process, Signals.Interrupt), "the copy finished before it could be interrupted");

            // Interrupted once the first pack is stored, with most of the 120 MB still to copy (the ReadyToRun CLI
            // copied the whole of a smaller source between the third pack and the signal).
            await process.WaitForExitAsync();
            Assert.Equal(130, process.ExitCode);
        }

        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "snapshots"));
        Assert.Empty(RepositoryFiles.Objects(pair.Destination.Repository, "locks"));
        Assert.Empty(RepositoryFiles.Objects(pair.Source.Repository, "locks"));
        Assert.NotEmpty(RepositoryFiles.Objects(pair.Destination.Repository, "index"));

        var rerun = await pair.CopyAsync();

        Assert.Equal(1, rerun.GetProperty("snapshots_copied").GetInt32());
        Assert.True(rerun.GetProperty("blobs_present").GetInt64() >= 2, rerun.ToString()); // stored by the interrupted run, not written again
        // Fewer bytes than the whole source: how many fewer depends on how many packs the interrupted run had stored
        // when the signal came (one file's worth or less when it comes right after the first pack).
        Assert.True(rerun.GetProperty("data_added").GetInt64() < 24L * 5_000_000, rerun.ToString());
        await pair.Destination.RunOkAsync("verify", "--read-data");
    }
}
