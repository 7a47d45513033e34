using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// <c>restore --rollback|--cleanup</c> through the real CLI on a job of two files components: --dry-run changes
/// nothing, a job's rollback skips (with a warning) a component without a copy and rolls the other back, and
/// --cleanup also removes what a rollback moved aside.
/// </summary>
public sealed class LiveRestoreMaintainTests
{
    private static async Task<(CliRunner Cli, string Config)> BackedUpAsync(TempDirectory temp)
    {
        Directory.CreateDirectory(temp.Sub("live/a"));
        Directory.CreateDirectory(temp.Sub("live/b"));
        File.WriteAllText(temp.Sub("live/a/one.txt"), "one\n");
        File.WriteAllText(temp.Sub("live/b/two.txt"), "two\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              first: { type: files, paths: [{{temp.Sub("live/a")}}] }
              second: { type: files, paths: [{{temp.Sub("live/b")}}] }
            jobs:
              j: { repository: main, components: [first, second] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", config);
        return (cli, config);
    }

    private static List<string> Entries(string directory) =>
        [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Fact]
    public async Task RollbackJob_ComponentWithoutCopy_SkippedWithWarning_OtherRolledBack_DryRunChangesNothing()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        File.WriteAllText(temp.Sub("live/a/one.txt"), "changed\n");
        await cli.ExpectAsync(0, "restore", "latest", "--component", "first", "--config", config, "--yes");
        var before = Entries(temp.Sub("live"));

        var dry = await cli.ExpectAsync(0, "restore", "--rollback", "--job", "j", "--config", config, "--dry-run");

        Assert.Contains($"would roll back {temp.Sub("live/a")} to the copy of", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("second: no *.pre-restore-* copy to roll back to, skipped", dry.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(temp.Sub("live")));
        Assert.Equal("one\n", File.ReadAllText(temp.Sub("live/a/one.txt")));

        var done = await cli.ExpectAsync(0, "restore", "--rollback", "--job", "j", "--config", config);

        Assert.Contains($"{temp.Sub("live/a")}: back to the copy of", done.Stdout, StringComparison.Ordinal);
        Assert.Equal("changed\n", File.ReadAllText(temp.Sub("live/a/one.txt")));
        Assert.Equal("two\n", File.ReadAllText(temp.Sub("live/b/two.txt")));
    }

    [Fact]
    public async Task RollbackComponentWithoutCopy_Exit2_RollbackJobWithoutAny_Exit2_NothingChanged()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        var before = Entries(temp.Sub("live"));

        var one = await cli.ExpectAsync(2, "restore", "--rollback", "--component", "second", "--config", config);
        var job = await cli.ExpectAsync(2, "restore", "--rollback", "--job", "j", "--config", config);

        Assert.Contains("second: no *.pre-restore-* copy", one.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", job.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Entries(temp.Sub("live")));
    }

    [Fact]
    public async Task CleanupDryRun_RemovesNothing_Cleanup_RemovesPreRestoreAndRolledBackCopies()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await BackedUpAsync(temp);
        await cli.ExpectAsync(0, "restore", "latest", "--job", "j", "--config", config, "--yes");
        await cli.ExpectAsync(0, "restore", "--rollback", "--component", "first", "--config", config);
        var before = Entries(temp.Sub("live"));
        Assert.Contains(before, n => n.StartsWith("a.rolled-back-", StringComparison.Ordinal));
        Assert.Contains(before, n => n.StartsWith("b.pre-restore-", StringComparison.Ordinal));

        var dry = await cli.ExpectAsync(0, "restore", "--cleanup", "--job", "j", "--config", config, "--dry-run", "--json");

        Assert.True(dry.Message("summary").GetProperty("dry_run").GetBoolean());
        Assert.Equal(2, dry.Message("summary").GetProperty("done").GetArrayLength());
        Assert.Equal(before, Entries(temp.Sub("live")));

        var done = await cli.ExpectAsync(0, "restore", "--cleanup", "--job", "j", "--config", config);

        Assert.Contains("removed 2 pre-restore copies", done.Stdout, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], Entries(temp.Sub("live")));
    }
}
