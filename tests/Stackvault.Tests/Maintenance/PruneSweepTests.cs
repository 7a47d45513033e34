using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>
/// prune removes every temp file written before its exclusive lock (a killed writer's, however young: issue 14.9),
/// keeps one written after it (a writer that can only be active while prune runs), and the repository stays intact.
/// </summary>
public class PruneSweepTests
{
    [Fact]
    public async Task Prune_OldTempFileOfKilledWriter_RemovedAndReported()
    {
        using var temp = new TempDirectory();
        var history = new PruneHistory(temp);
        var last = await history.CreateAsync(rounds: 1);
        var repository = history.Cli.Repository;
        var old = Path.Combine(repository, "data", "00", ".tmp-killed");
        await File.WriteAllBytesAsync(old, new byte[4096]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-3));
        var young = Path.Combine(repository, "data", "01", ".tmp-killed-just-now");
        Directory.CreateDirectory(Path.GetDirectoryName(young)!);
        await File.WriteAllBytesAsync(young, new byte[1000]);
        File.SetLastWriteTimeUtc(young, DateTime.UtcNow.AddMinutes(-1)); // minutes old: before prune's lock by more than its 2 s margin, far under the old one-hour rule
        var later = Path.Combine(repository, "snapshots", ".tmp-writing");
        await File.WriteAllTextAsync(later, "{");
        File.SetLastWriteTimeUtc(later, DateTime.UtcNow.AddHours(1)); // still being written after prune took its lock

        var dry = (await history.Cli.RunOkAsync("prune", "--dry-run", "--json")).Json();
        Assert.Equal(0, dry.GetProperty("abandoned_removed").GetInt32());
        Assert.True(File.Exists(old), "a dry run removed a file");

        var json = (await history.Cli.RunOkAsync("prune", "--json")).Json();

        Assert.Equal(2, json.GetProperty("abandoned_removed").GetInt32());
        Assert.Equal(5096, json.GetProperty("abandoned_bytes").GetInt64());
        Assert.False(File.Exists(old));
        Assert.False(File.Exists(young), "a killed writer's young temp file must go with the first prune, not after an hour");
        Assert.True(File.Exists(later), "a temp file written after prune's lock (a live writer's) was removed");
        File.Delete(later);
        await history.AssertCleanAsync();
        var ids = await history.SnapshotIdsAsync();
        await history.AssertRestoresAsync(ids[0], last, temp.Sub("restore"));
        var text = await history.Cli.RunOkAsync("prune");
        Assert.DoesNotContain("leftovers", text.Stdout, StringComparison.Ordinal);
    }
}
