using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Copy;

/// <summary>Invariant 3 for copy: kill -9 at any point leaves a destination that verifies, shows no snapshot, and a rerun completes.</summary>
public class CopyCrashTests
{
    [Fact]
    public async Task Copy_KilledAtManyPoints_DestinationVerifiesWithoutSnapshotAndRerunCompletes()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(51);
        for (var i = 0; i < 10; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), 8_000_000, compressible: i % 2 == 0);
        }

        var pair = new CopyPair(temp);
        await pair.InitAsync();
        await pair.Source.RunOkAsync("backup", source);

        // Calibrate: how long a full copy takes here.
        var calibration = new CopyPair(temp, temp.Sub("calibration"));
        await calibration.Destination.InitAsync("--pack-size", "1");
        var clock = Stopwatch.StartNew();
        await calibration.Destination.RunOkAsync("copy", "--from-repo", pair.Source.Repository);
        var full = clock.Elapsed;

        // Kills at fractions of the calibrated time, each into what the earlier ones left, until a copy gets through. A
        // copy that finishes before its kill interrupts nothing: with fewer than two interrupted (an idle machine, a slow
        // calibration) the rounds start over into a fresh destination with the time halved.
        for (var restarts = 0; ; restarts++)
        {
            var interrupted = 0;
            foreach (var fraction in new[] { 0.1, 0.3, 0.5, 0.7, 0.9 })
            {
                using (var process = pair.Destination.Start("copy", "--from-repo", pair.Source.Repository))
                {
                    await Task.Delay(full * fraction);
                    Signals.TrySend(process, Signals.Kill);
                    await process.WaitForExitAsync();
                }

                var verify = await pair.Destination.RunAsync("verify", "--read-data");
                Assert.True(verify.ExitCode == 0, $"after kill at {fraction:P0}: {verify}");
                if (RepositoryFiles.Objects(pair.Destination.Repository, "snapshots").Length > 0)
                {
                    break; // the copy got through before the kill: later rounds have nothing left to interrupt
                }

                Assert.Empty(await CopyPair.SnapshotsAsync(pair.Destination));
                interrupted++;
            }

            if (interrupted >= 2)
            {
                break;
            }

            Assert.True(restarts < 3, $"only {interrupted} copies were interrupted before their snapshot, {restarts + 1} times");
            full /= 2;
            pair = new CopyPair(temp, temp.Sub($"destination-{restarts}"));
            await pair.Destination.InitAsync("--pack-size", "1");
        }

        var rerun = await pair.CopyAsync();
        Assert.Equal(1, rerun.GetProperty("snapshots_copied").GetInt32() + rerun.GetProperty("snapshots_skipped").GetInt32());
        await pair.Destination.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await pair.Destination.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }
}
