using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>Invariants 3 and 4 for prune: kill -9 at any point leaves a repository that verifies and restores; the next prunes finish the job.</summary>
public class PruneCrashSafetyTests
{
    [Fact]
    public async Task Prune_KilledAtManyPoints_VerifiesRestoresAndNextPruneFinishes()
    {
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp, seed: 21);
        await history.CreateAsync(rounds: 5, filesPerRound: 16, fileSize: 250_000);
        await history.Cli.RunOkAsync("forget", "--keep-last", "2");
        var kept = await history.SnapshotIdsAsync(); // oldest first: versions 3 and 4
        var pristine = temp.Sub("pristine");
        RepositoryFiles.CopyDirectory(history.Cli.Repository, pristine);

        // Calibrate: a full prune (with repacking) of a copy.
        var calibration = new CliRunner(temp.Sub("calibration"));
        RepositoryFiles.CopyDirectory(pristine, calibration.Repository);
        var clock = Stopwatch.StartNew();
        await calibration.RunOkAsync("prune", "--max-unused", "0");
        var full = clock.Elapsed;

        foreach (var fraction in new[] { 0.15, 0.45, 0.75, 0.95 })
        {
            var cli = new CliRunner(temp.Sub($"repo-{fraction}"));
            RepositoryFiles.CopyDirectory(pristine, cli.Repository);
            using (var process = cli.Start("prune", "--max-unused", "0"))
            {
                await Task.Delay(full * fraction);
                process.Kill();
                await process.WaitForExitAsync();
            }

            var verify = await cli.RunAsync("verify", "--read-data");
            Assert.True(verify.ExitCode == 0, $"after kill at {fraction:P0}: {verify}");
            for (var i = 0; i < kept.Count; i++)
            {
                var target = temp.Sub($"restore-{fraction}-{i}");
                await cli.RunOkAsync("restore", kept[i], "--target", target);
                TreeComparer.AssertSame(history.Versions[3 + i], target + history.Source, compareDirMtime: false);
            }

            // The second prune leaves no unused or partly used pack; packs it saw in no index for the first time
            // (a kill during repacking) wait for one more prune by the grace rule, which then leaves nothing.
            await cli.RunOkAsync("prune", "--max-unused", "0");
            var check = (await cli.RunOkAsync("prune", "--max-unused", "0", "--dry-run", "--json")).Json();
            Assert.Equal(0, check.GetProperty("packs_unused").GetInt32());
            Assert.Equal(0, check.GetProperty("packs_repacked").GetInt32());
            Assert.Equal(0, check.GetProperty("orphans_pending").GetInt32());
            await cli.RunOkAsync("prune", "--max-unused", "0");
            var verifyAfter = (await cli.RunOkAsync("verify", "--read-data", "--json")).Json();
            Assert.True(verifyAfter.GetProperty("warnings").GetArrayLength() == 0, $"after kill at {fraction:P0}: {verifyAfter}");
            Assert.True(PruneHistory.Size(cli.Repository) < PruneHistory.Size(pristine));
            var snapshots = (await cli.RunOkAsync("snapshots", "--json")).Json();
            Assert.Equal(kept, snapshots.EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
        }
    }
}
