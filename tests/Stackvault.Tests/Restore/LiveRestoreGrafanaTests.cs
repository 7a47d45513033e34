using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A live restore of a Grafana database: its warnings are printed once (with the plan, not again while restoring), and
/// a later successful restore removes the older copies of the database's SQLite companions with the database's, and a
/// snapshot without the component's data (a `backup --only config`) is refused with a clear message.
/// </summary>
public sealed class LiveRestoreGrafanaTests
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

    [Fact]
    public async Task OnlyConfigSnapshot_WithoutTheDatabase_Exit2_SaysWhereTheDataIs()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("live"));
        GrafanaSchema.CreateGrafana11(temp.Sub("live/grafana.db"));
        Directory.CreateDirectory(temp.Sub("etc"));
        File.WriteAllText(temp.Sub("etc/grafana.ini"), "[server]\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              grafana: { type: grafana, database: {{temp.Sub("live/grafana.db")}} }
              etc: { type: files, paths: [{{temp.Sub("etc")}}] }
            jobs:
              j: { repository: main, components: [grafana, etc] }
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--only", "config", "--config", config);

        var result = await cli.ExpectAsync(2, "restore", "latest", "--component", "grafana", "--config", config, "--dry-run");

        Assert.Contains("component grafana has no data in this snapshot", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("`backup --only config` snapshot", result.Stderr, StringComparison.Ordinal);
    }
}
