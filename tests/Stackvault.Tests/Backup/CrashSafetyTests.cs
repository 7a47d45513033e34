using System.Diagnostics;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

/// <summary>Invariant 3: kill -9 at any point leaves a repository that verifies, restores, and takes the next backup.</summary>
public class CrashSafetyTests
{
    [Fact]
    public async Task Backup_KilledAtManyPoints_RepositoryVerifiesRestoresAndContinues()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(11);
        generator.File(Path.Combine(source, "base.txt"), 200_000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--pack-size", "4");
        await cli.RunOkAsync("backup", source);
        var baseline = temp.Sub("baseline");
        RepositoryFiles.CopyDirectory(source, baseline);

        // Calibrate: how long a backup of about 120 MB of new data takes here.
        for (var i = 0; i < 12; i++)
        {
            generator.File(Path.Combine(source, "new", $"f{i}"), 10_000_000, compressible: i % 2 == 0);
        }

        var clock = Stopwatch.StartNew();
        var calibration = new CliRunner(temp.Sub("calibration"));
        await calibration.InitAsync("--pack-size", "4");
        await calibration.RunOkAsync("backup", source);
        var full = clock.Elapsed;

        foreach (var fraction in new[] { 0.05, 0.3, 0.55, 0.8, 0.95 })
        {
            // New content each round, so every run has something to write when it dies.
            generator.File(Path.Combine(source, "new", $"round-{fraction}"), 5_000_000, compressible: false);
            using (var process = cli.Start("backup", source))
            {
                await Task.Delay(full * fraction);
                process.Kill();
                await process.WaitForExitAsync();
            }

            var verify = await cli.RunAsync("verify", "--read-data");
            Assert.True(verify.ExitCode == 0, $"after kill at {fraction:P0}: {verify}");
            var target = temp.Sub($"restore-{fraction}");
            await cli.RunOkAsync("restore", (await FirstSnapshotAsync(cli)), "--target", target);
            TreeComparer.AssertSame(baseline, target + source, compareDirMtime: false);
        }

        var last = await cli.RunOkAsync("backup", source, "--json");
        Assert.Equal("complete", last.Message("summary").GetProperty("status").GetString());
        await cli.RunOkAsync("verify", "--read-data");
        var finalTarget = temp.Sub("restore-final");
        await cli.RunOkAsync("restore", "latest", "--target", finalTarget);
        TreeComparer.AssertSame(source, finalTarget + source, compareDirMtime: false);
    }

    private static async Task<string> FirstSnapshotAsync(CliRunner cli)
    {
        var list = (await cli.RunOkAsync("snapshots", "--json")).Json();
        return list[0].GetProperty("id").GetString()!;
    }
}
