using Stackvault.Tests.Support;

namespace Stackvault.Tests.Repair;

/// <summary>
/// Invariant 11 through the CLI (issue 14 items 1, 2, 3, 5): one corrupt snapshot, index file or pack costs only
/// what depends on it, and `repair index`, `repair snapshots` and `prune` bring the rest back.
/// </summary>
public class DamageTests(DamageTests.PristineRepository pristine) : IClassFixture<DamageTests.PristineRepository>
{
    [Fact]
    public async Task CorruptSnapshot_EveryCommandGoesOnWithTheOthersAndWarns_VerifyFails()
    {
        using var temp = new TempDirectory();
        var repo = pristine.Repository.CopyTo(temp.Sub("repo"));
        var bad = repo.Ids[0];
        RepositoryFiles.FlipByte(repo.SnapshotPath(bad), 20);

        var list = await repo.Cli.RunOkAsync("snapshots");
        Assert.Contains(repo.Ids[1][..8], list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(bad[..8], list.Stdout, StringComparison.Ordinal);
        Assert.Contains($"snapshot {bad[..8]} is unreadable", list.Stderr, StringComparison.Ordinal);

        await repo.AssertRestoresAsync(repo.Ids[1], repo.Second, temp.Sub("restore"));
        var backup = await repo.Cli.RunOkAsync("backup", repo.Source);
        Assert.Contains(bad[..8], backup.Stderr, StringComparison.Ordinal);
        var forget = await repo.Cli.RunOkAsync("forget", "--keep-last", "10");
        Assert.Contains(bad[..8], forget.Stderr, StringComparison.Ordinal);
        var prune = await repo.Cli.RunOkAsync("prune");
        Assert.Contains(bad[..8], prune.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(repo.SnapshotPath(bad)), "a command removed the unreadable snapshot on its own");

        var verify = await repo.Cli.ExpectAsync(1, "verify");
        Assert.Contains(bad, verify.Stdout, StringComparison.Ordinal);

        // The documented repair: 'repair snapshots --forget' removes the unreadable file; verify passes again.
        await repo.Cli.RunOkAsync("repair", "snapshots", "--forget");
        Assert.False(File.Exists(repo.SnapshotPath(bad)));
        await repo.Cli.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task CorruptIndex_CommandsNameTheRepair_RepairIndexRebuildsFromPacks()
    {
        using var temp = new TempDirectory();
        var repo = pristine.Repository.CopyTo(temp.Sub("repo"));
        var index = RepositoryFiles.Objects(repo.Root, "index")[0];
        RepositoryFiles.FlipByte(index, 30);

        var restore = await repo.Cli.ExpectAsync(1, "restore", "latest", "--target", temp.Sub("failed"));
        Assert.Contains("stackvault repair index", restore.Stderr, StringComparison.Ordinal);
        var prune = await repo.Cli.ExpectAsync(1, "prune");
        Assert.Contains("stackvault repair index", prune.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("run 'stackvault verify' and repair first", prune.Stderr, StringComparison.Ordinal);

        await repo.Cli.RunOkAsync("repair", "index", "-n");
        Assert.True(File.Exists(index), "a dry run changed the index");
        var repair = await repo.Cli.RunOkAsync("repair", "index");
        Assert.Contains("0 damaged, 0 missing", repair.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(index));

        await repo.Cli.RunOkAsync("verify", "--read-data");
        await repo.AssertRestoresAsync(repo.Ids[0], repo.First, temp.Sub("r1"));
        await repo.AssertRestoresAsync(repo.Ids[1], repo.Second, temp.Sub("r2"));
        await repo.Cli.RunOkAsync("prune");
    }

    [Fact]
    public async Task TruncatedPack_PlainVerifyFailsNamingIt()
    {
        using var temp = new TempDirectory();
        var repo = pristine.Repository.CopyTo(temp.Sub("repo"));
        await repo.Cli.RunOkAsync("verify");
        var pack = repo.OldestPack();
        RepositoryFiles.Truncate(pack, new FileInfo(pack).Length / 2);

        var verify = await repo.Cli.ExpectAsync(1, "verify");
        Assert.Contains(Path.GetFileName(pack), verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("truncated or damaged", verify.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete")] // a truncated pack takes the same repair: CorruptionMatrixTests covers it
    public async Task LostPack_RepairIndexLetsPruneWork_BackupStoresTheBlobAgain_RepairSnapshotsKeepsTheRest(string how)
    {
        using var temp = new TempDirectory();
        var repo = pristine.Repository.CopyTo(temp.Sub("repo"));
        var pack = repo.OldestPack();
        if (how == "truncate")
        {
            RepositoryFiles.Truncate(pack, new FileInfo(pack).Length / 2);
        }
        else
        {
            File.Delete(pack);
        }

        if (how == "delete")
        {
            var stuck = await repo.Cli.ExpectAsync(1, "prune");
            Assert.Contains("stackvault repair index", stuck.Stderr, StringComparison.Ordinal);
        }

        var repair = await repo.Cli.RunOkAsync("repair", "index");
        Assert.Contains(how == "truncate" ? "1 damaged, 0 missing" : "0 damaged, 1 missing", repair.Stdout, StringComparison.Ordinal);
        var prune = await repo.Cli.RunOkAsync("prune");
        Assert.Contains("repair snapshots", prune.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(pack), "the damaged pack (now an orphan) should be reclaimed");

        // The snapshots still name lost data: verify says so; repair snapshots rewrites them keeping the rest.
        await repo.Cli.ExpectAsync(1, "verify");
        var dry = await repo.Cli.RunOkAsync("repair", "snapshots", "-n");
        Assert.Contains("would be rewritten", dry.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await repo.SnapshotIdsAsync()).Count);
        var repaired = (await repo.Cli.RunOkAsync("repair", "snapshots", "--json")).Json().GetProperty("repaired");
        Assert.Equal(2, repaired.GetArrayLength());
        Assert.All(repaired.EnumerateArray(), r => Assert.NotEqual(0, r.GetProperty("dropped").GetArrayLength()));
        Assert.Equal(4, (await repo.SnapshotIdsAsync()).Count); // originals kept without --forget
        await repo.Cli.RunOkAsync("repair", "snapshots", "--forget");
        Assert.Equal(2, (await repo.SnapshotIdsAsync()).Count); // no second copy of a repaired snapshot
        await repo.Cli.RunOkAsync("verify", "--read-data");

        // Whatever was not lost comes back byte for byte; what was lost is absent, never wrong.
        var target = temp.Sub("repaired");
        await repo.Cli.RunOkAsync("restore", "latest", "--target", target);
        var restored = Directory.EnumerateFiles(target + repo.Source, "*", SearchOption.AllDirectories).ToList();
        Assert.InRange(restored.Count, 1, 2);
        foreach (var file in restored)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(repo.Second, Path.GetRelativePath(target + repo.Source, file))), File.ReadAllBytes(file));
        }

        // A backup that needs the lost blobs stores them again; then everything restores and verifies.
        var backup = await repo.Cli.RunOkAsync("backup", repo.Source, "--json");
        Assert.True(backup.Message("summary").GetProperty("data_added").GetInt64() > 0, backup.ToString());
        await repo.AssertRestoresAsync("latest", repo.Second, temp.Sub("latest"));
        await repo.Cli.RunOkAsync("prune");
        await repo.Cli.RunOkAsync("verify", "--read-data");
    }

    /// <summary>The two-snapshot repository every test starts from, created once for the class; each test damages a copy.</summary>
    public sealed class PristineRepository : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new();

        public PristineRepository() => Repository = new DamagedRepository(_temp);

        internal DamagedRepository Repository { get; }

        public Task InitializeAsync() => Repository.CreateAsync();

        public Task DisposeAsync()
        {
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }
}
