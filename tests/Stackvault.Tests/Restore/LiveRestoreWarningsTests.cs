using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A live restore of a Grafana database: its warnings are printed once (with the plan, not again while restoring), and
/// a later successful restore removes the older copies of the database's SQLite companions with the database's.
/// </summary>
public sealed class LiveRestoreWarningsTests
{
    [Fact]
    public async Task GrafanaWithoutStopHook_WarnsOnce_RestoresWithIntegrityAndCounts()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("live"));
        GrafanaSchema.CreateGrafana11(temp.Sub("live/grafana.db"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              grafana: { type: grafana, database: {{temp.Sub("live/grafana.db")}} }
            jobs:
              j: { repository: main, components: [grafana] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", config);

        var result = await cli.ExpectAsync(0, "restore", "latest", "--job", "j", "--config", config, "--yes");

        var warnings = result.Stderr.Split('\n').Count(l => l.Contains("no restore_hooks.stop", StringComparison.Ordinal));
        Assert.Equal(1, warnings);
        Assert.Contains("grafana: restored, ready and checked (integrity_check ok; rows: ", result.Stderr, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(temp.Sub("live"), "grafana.db.pre-restore-*"));
    }

    [Fact]
    public async Task SecondRestore_RemovesOlderCompanionCopies_WithTheDatabases()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("live"));
        GrafanaSchema.CreateGrafana11(temp.Sub("live/grafana.db"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              grafana: { type: grafana, database: {{temp.Sub("live/grafana.db")}} }
            jobs:
              j: { repository: main, components: [grafana] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", config);
        File.WriteAllText(temp.Sub("live/grafana.db-wal"), "stale wal");
        await cli.ExpectAsync(0, "restore", "latest", "--component", "grafana", "--config", config, "--yes");
        Assert.Single(Directory.GetFiles(temp.Sub("live"), "grafana.db-wal.pre-restore-*"));
        await Task.Delay(1100); // the copies are named by the second

        await cli.ExpectAsync(0, "restore", "latest", "--component", "grafana", "--config", config, "--yes");

        Assert.Empty(Directory.GetFiles(temp.Sub("live"), "grafana.db-wal.pre-restore-*"));
        Assert.Single(Directory.GetFiles(temp.Sub("live"), "grafana.db.pre-restore-*"));
    }
}
