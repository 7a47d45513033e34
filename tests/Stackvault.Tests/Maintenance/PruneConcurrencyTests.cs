using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>Invariant 4: a backup and a prune never run at once; whichever locks first runs, the other waits or exits 11.</summary>
public class PruneConcurrencyTests
{
    [Fact]
    public async Task Prune_WithConcurrentBackup_OneWaitsOrFailsLockedAndTheBackupRestores()
    {
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp, seed: 33);
        await history.CreateAsync(rounds: 3);
        await history.Cli.RunOkAsync("forget", "--keep-last", "1");
        var generator = new TreeGenerator(77);

        // With --retry-lock both succeed, in some order.
        generator.File(Path.Combine(history.Source, "new", "a"), 3_000_000, compressible: false);
        var backup = history.Cli.RunAsync("backup", history.Source, "--retry-lock", "120");
        var prune = history.Cli.RunAsync("prune", "--max-unused", "0", "--retry-lock", "120");
        Assert.True((await backup).ExitCode == 0, (await backup).ToString());
        Assert.True((await prune).ExitCode == 0, (await prune).ToString());

        // Without it, the loser exits 11 and changes nothing.
        generator.File(Path.Combine(history.Source, "new", "b"), 3_000_000, compressible: false);
        await history.Cli.RunOkAsync("forget", "--keep-last", "1");
        var backup2 = history.Cli.RunAsync("backup", history.Source);
        var prune2 = history.Cli.RunAsync("prune", "--max-unused", "0");
        var (b2, p2) = (await backup2, await prune2);
        var codes = new[] { b2.ExitCode, p2.ExitCode };
        Assert.All(codes, c => Assert.True(c is 0 or 11, $"backup {b2}\nprune {p2}"));
        // Both may back off when they lock in the same instant (each sees the other's lock): never both proceed.
        if (b2.ExitCode == 11)
        {
            await history.Cli.RunOkAsync("backup", history.Source);
        }

        await history.Cli.RunOkAsync("prune");
        await history.Cli.RunOkAsync("verify", "--read-data");
        await history.Cli.RunOkAsync("restore", "latest", "--target", temp.Sub("restore"));
        TreeComparer.AssertSame(history.Source, temp.Sub("restore") + history.Source, compareDirMtime: false);
    }
}
