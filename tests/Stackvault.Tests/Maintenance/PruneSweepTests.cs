using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>prune removes a killed writer's old temp files, keeps young ones, and the repository stays intact.</summary>
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
        var young = Path.Combine(repository, "snapshots", ".tmp-writing");
        await File.WriteAllTextAsync(young, "{");

        var dry = (await history.Cli.RunOkAsync("prune", "--dry-run", "--json")).Json();
        Assert.Equal(0, dry.GetProperty("abandoned_removed").GetInt32());
        Assert.True(File.Exists(old), "a dry run removed a file");

        var json = (await history.Cli.RunOkAsync("prune", "--json")).Json();

        Assert.Equal(1, json.GetProperty("abandoned_removed").GetInt32());
        Assert.Equal(4096, json.GetProperty("abandoned_bytes").GetInt64());
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(young), "a young temp file (a live writer's) was removed");
        await history.AssertCleanAsync();
        var ids = await history.SnapshotIdsAsync();
        await history.AssertRestoresAsync(ids[0], last, temp.Sub("restore"));
        var text = await history.Cli.RunOkAsync("prune");
        Assert.DoesNotContain("leftovers", text.Stdout, StringComparison.Ordinal);
    }
}
