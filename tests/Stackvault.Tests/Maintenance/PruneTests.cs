using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>forget + prune through the CLI: what remains restores byte for byte, verifies clean, and is smaller.</summary>
public class PruneTests
{
    [Fact]
    public async Task Prune_AfterForget_RemainingRestoresVerifiesAndRepositoryShrinks()
    {
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp);
        var last = await history.CreateAsync(rounds: 4);
        var packsBefore = RepositoryFiles.Objects(history.Cli.Repository, "data").Length;
        var sizeBefore = PruneHistory.Size(history.Cli.Repository);

        var dry = (await history.Cli.RunOkAsync("forget", "--keep-last", "1", "--prune", "--dry-run", "--json")).Json();
        Assert.Equal(3, dry.GetProperty("removed").GetInt32());
        Assert.True(dry.GetProperty("prune").GetProperty("dry_run").GetBoolean());
        Assert.Equal(4, (await history.SnapshotIdsAsync()).Count);
        Assert.Equal(packsBefore, RepositoryFiles.Objects(history.Cli.Repository, "data").Length);

        var json = (await history.Cli.RunOkAsync("forget", "--keep-last", "1", "--prune", "--json")).Json();
        var prune = json.GetProperty("prune");
        Assert.True(prune.GetProperty("packs_deleted").GetInt32() > 0);
        Assert.True(PruneHistory.Size(history.Cli.Repository) < sizeBefore * 0.6, "repository did not shrink enough");
        var ids = await history.SnapshotIdsAsync();
        Assert.Single(ids);
        await history.AssertCleanAsync();
        await history.AssertRestoresAsync(ids[0], last, temp.Sub("restore"));

        // The repository holds no unused pack: a repack-everything prune finds nothing to delete or repack.
        var again = (await history.Cli.RunOkAsync("prune", "--max-unused", "0", "--json")).Json();
        Assert.Equal(0, again.GetProperty("packs_unused").GetInt32());
        Assert.Equal(0, again.GetProperty("orphans_pending").GetInt32());
        Assert.Single(RepositoryFiles.Objects(history.Cli.Repository, "index"));
    }

    [Fact]
    public async Task Prune_MaxUnusedZero_RepacksPartlyUsedPacksAndDataSurvives()
    {
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp, seed: 9);
        // Small files: several files share a pack, so deleting some leaves partly used packs.
        var last = await history.CreateAsync(rounds: 3, filesPerRound: 12, fileSize: 120_000);
        await history.Cli.RunOkAsync("forget", "--keep-last", "1");

        var tolerant = (await history.Cli.RunOkAsync("prune", "--max-unused", "100", "--dry-run", "--json")).Json();
        Assert.Equal(0, tolerant.GetProperty("packs_repacked").GetInt32());
        var json = (await history.Cli.RunOkAsync("prune", "--max-unused", "0", "--json")).Json();
        Assert.True(json.GetProperty("packs_repacked").GetInt32() > 0, json.ToString());
        Assert.True(json.GetProperty("packs_written").GetInt32() > 0);

        await history.AssertCleanAsync();
        var ids = await history.SnapshotIdsAsync();
        await history.AssertRestoresAsync(ids[0], last, temp.Sub("restore"));
        var after = (await history.Cli.RunOkAsync("prune", "--max-unused", "0", "--json")).Json();
        Assert.Equal(0, after.GetProperty("packs_repacked").GetInt32());
        Assert.Equal(0, after.GetProperty("bytes_unused_before").GetInt64());
    }

    [Fact]
    public async Task Prune_OrphanPack_IsDeletedByTheFirstPrune()
    {
        // Issue 14.9 / 18.11: a pack in no index (a killed backup's, or one a full disk cut short) that no live lock
        // can own is reclaimed by the first prune, whose exclusive lock shows that no backup is in flight.
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp);
        await history.CreateAsync(rounds: 1);
        var pack = RepositoryFiles.Objects(history.Cli.Repository, "data")[0];
        var name = Path.GetFileName(pack);
        var orphanBytes = await File.ReadAllBytesAsync(pack);
        orphanBytes = [.. orphanBytes, 0];
        var orphanName = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(orphanBytes));
        var orphanPath = Path.Combine(history.Cli.Repository, "data", orphanName[..2], orphanName);
        Directory.CreateDirectory(Path.GetDirectoryName(orphanPath)!);
        await File.WriteAllBytesAsync(orphanPath, orphanBytes);

        var dry = (await history.Cli.RunOkAsync("prune", "--dry-run", "--json")).Json();
        Assert.Equal(1, dry.GetProperty("orphans_deleted").GetInt32());
        Assert.True(File.Exists(orphanPath), "a dry run deleted an orphan");
        var first = (await history.Cli.RunOkAsync("prune", "--json")).Json();
        Assert.Equal(1, first.GetProperty("orphans_deleted").GetInt32());
        Assert.Equal(0, first.GetProperty("orphans_pending").GetInt32());
        Assert.False(File.Exists(orphanPath), "the first prune must reclaim an orphan no lock can own");
        Assert.True(File.Exists(pack), $"indexed pack {name} must stay");
        await history.AssertCleanAsync();
    }
}
