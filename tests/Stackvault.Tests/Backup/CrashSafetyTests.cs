using System.Diagnostics;
using System.Security.Cryptography;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage.Local;
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

    /// <summary>
    /// A local pack grows in a temporary file as blobs are added (no pack-sized buffer): a writer killed mid-pack
    /// leaves that file, which no listing shows as a pack; the next backup, verify and restore work, prune sweeps it.
    /// </summary>
    [Fact]
    public async Task Backup_KilledMidPack_LeavesNoVisiblePartialPackAndNextBackupSucceeds()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(12).File(Path.Combine(source, "a.bin"), 300_000, compressible: false);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var data = Path.Combine(cli.Repository, "data");
        var partial = Path.Combine(data, ".tmp-killed");
        await using (var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(cli.Repository)), "test-password", TimeProvider.System, CancellationToken.None))
        {
            await repository.LoadIndexAsync(CancellationToken.None);
            var writer = new BlobWriter(repository, () => { });
            await using (writer)
            {
                for (var i = 0; i < 3; i++)
                {
                    var blob = RandomNumberGenerator.GetBytes(50_000);
                    await writer.SaveAsync(BlobType.Data, repository.Blobs.Hasher.ComputeId(blob), blob, null, CancellationToken.None);
                }

                using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                while (writer.Stats.DataBlobs < 3)
                {
                    await Task.Delay(10, guard.Token); // until all three are appended to the open pack
                }

                // What kill -9 leaves is the open pack's temporary file as it is now (disposing the writer deletes its
                // own). cp(1), because .NET's own open would wait for the writer's advisory lock.
                using var copy = Process.Start("cp", [Assert.Single(Directory.GetFiles(data, ".tmp-*")), partial]);
                await copy.WaitForExitAsync();
                Assert.Equal(0, copy.ExitCode);
            }
        }

        Assert.True(new FileInfo(partial).Length >= 150_000, "the open pack's blobs were not in its file");
        Assert.Equal([partial], Directory.GetFiles(data, "*", SearchOption.AllDirectories));
        File.SetLastWriteTimeUtc(partial, DateTime.UtcNow.AddMinutes(-1));

        await cli.RunOkAsync("backup", source);
        await cli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source, compareDirMtime: false);
        var prune = (await cli.RunOkAsync("prune", "--json")).Json();
        Assert.Equal(1, prune.GetProperty("abandoned_removed").GetInt32());
        Assert.False(File.Exists(partial));
    }

    private static async Task<string> FirstSnapshotAsync(CliRunner cli)
    {
        var list = (await cli.RunOkAsync("snapshots", "--json")).Json();
        return list[0].GetProperty("id").GetString()!;
    }
}
