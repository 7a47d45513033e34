using System.Diagnostics;
using Stackvault.Components.Grafana;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Grafana;

/// <summary>
/// Grafana's <c>/var/lib/grafana</c> (grafana.db, plugins/) with grafana.ini and provisioning: plugins_dir is backed
/// up and restored; <c>--only config</c> makes no database copy; <c>restore --only data</c> leaves the configuration
/// untouched; and a restore into the data directory of a crashed instance moves its stale -wal/-shm aside (issue 18.1).
/// </summary>
public sealed class GrafanaEngineTests
{
    private static async Task<(CliRunner Cli, string Config)> SetUpAsync(TempDirectory temp, string journalMode = "DELETE")
    {
        Directory.CreateDirectory(temp.Sub("var-lib-grafana/plugins/grafana-clock-panel"));
        GrafanaSchema.CreateGrafana11(temp.Sub("var-lib-grafana/grafana.db"), journalMode);
        File.WriteAllText(temp.Sub("var-lib-grafana/plugins/grafana-clock-panel/plugin.json"), """{"id":"grafana-clock-panel"}""");
        Directory.CreateDirectory(temp.Sub("etc-grafana/provisioning/datasources"));
        File.WriteAllText(temp.Sub("etc-grafana/grafana.ini"), "[security]\nsecret_key = s3cr3t\n");
        File.WriteAllText(temp.Sub("etc-grafana/provisioning/datasources/prom.yaml"), "apiVersion: 1\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              grafana:
                type: grafana
                database: {temp.Sub("var-lib-grafana/grafana.db")}
                config_file: {temp.Sub("etc-grafana/grafana.ini")}
                provisioning_dir: {temp.Sub("etc-grafana/provisioning")}
                plugins_dir: {temp.Sub("var-lib-grafana/plugins")}
            jobs:
              g: {"{"} repository: main, components: [grafana] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        return (cli, config);
    }

    [Fact]
    public async Task PluginsDir_IsInTheSnapshot_AndRestoredLive()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        await cli.RunOkAsync("backup", "--job", "g", "--config", config);
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Contains("/grafana/plugins", snapshot.Paths);
        Assert.True(JobManifests.Section(snapshot, "grafana").Size > 0);

        await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--target", temp.Sub("out"));
        Assert.True(File.Exists(temp.Sub("out/plugins/grafana-clock-panel/plugin.json")));

        Directory.Delete(temp.Sub("var-lib-grafana/plugins"), recursive: true);
        await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--config", config, "--yes");
        Assert.Equal("""{"id":"grafana-clock-panel"}""", File.ReadAllText(temp.Sub("var-lib-grafana/plugins/grafana-clock-panel/plugin.json")));
    }

    [Fact]
    public async Task ConfiguredPluginsDirMissing_FailsTheComponent_NamingIt()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        Directory.Delete(temp.Sub("var-lib-grafana/plugins"), recursive: true);

        var result = await cli.ExpectAsync(1, "backup", "--job", "g", "--config", config);

        Assert.Contains("plugins_dir " + temp.Sub("var-lib-grafana/plugins") + " does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyConfig_MakesNoDatabaseCopy_RecordsNoRowCounts()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        File.Delete(temp.Sub("var-lib-grafana/grafana.db")); // a database backup would fail: none may be attempted

        await cli.RunOkAsync("backup", "--job", "g", "--only", "config", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "grafana");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal(["/grafana/grafana.ini", "/grafana/plugins", "/grafana/provisioning"], snapshot.Paths.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("dashboard", section.Checks!.Keys);
    }

    [Fact]
    public async Task RestoreOnlyData_LeavesConfigurationUntouched_LiveAndIntoATarget()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        await cli.RunOkAsync("backup", "--job", "g", "--config", config);
        File.WriteAllText(temp.Sub("etc-grafana/grafana.ini"), "[security]\nsecret_key = rotated\n");
        File.WriteAllText(temp.Sub("etc-grafana/provisioning/datasources/new.yaml"), "apiVersion: 1\n");
        File.WriteAllText(temp.Sub("var-lib-grafana/grafana.db"), "damaged");

        var live = await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--only", "data", "--config", config, "--yes");

        Assert.Equal("[security]\nsecret_key = rotated\n", File.ReadAllText(temp.Sub("etc-grafana/grafana.ini")));
        Assert.True(File.Exists(temp.Sub("etc-grafana/provisioning/datasources/new.yaml")));
        Assert.Empty(Directory.GetFiles(temp.Sub("etc-grafana"), "*.pre-restore-*"));
        Assert.True(GrafanaDatabaseCheck.Run(temp.Sub("var-lib-grafana/grafana.db"), CancellationToken.None).IsIntact);
        Assert.Contains("integrity_check ok", live.Stderr, StringComparison.Ordinal);

        await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--only", "data", "--target", temp.Sub("out"));
        Assert.Equal(["grafana.db"], Directory.EnumerateFileSystemEntries(temp.Sub("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--only", "config", "--target", temp.Sub("out-config"));
        Assert.Equal(["grafana.ini", "plugins", "provisioning"], Directory.EnumerateFileSystemEntries(temp.Sub("out-config")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Issue 18.1: a WAL-mode database is backed up, Grafana keeps writing and is killed, leaving a -wal and -shm that
    /// hold commits the snapshot does not; <c>restore --component grafana --target &lt;its data dir&gt;</c> moves them
    /// aside with the replaced database, so the restored copy passes integrity_check with the snapshot's row counts.
    /// </summary>
    [Fact]
    public async Task RestoreIntoTheDataDirOfACrashedInstance_MovesStaleWalAndShmAside()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp, journalMode: "WAL");
        await cli.RunOkAsync("backup", "--job", "g", "--config", config);
        var recorded = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "grafana").Checks!;
        var dataDir = temp.Sub("var-lib-grafana");
        await CrashWhileWritingAsync(Path.Combine(dataDir, "grafana.db"), temp.Sub("crash.py"));
        Assert.True(new FileInfo(Path.Combine(dataDir, "grafana.db-wal")).Length > 0, "the crashed writer left a WAL");

        var result = await cli.RunOkAsync("restore", "latest", "--component", "grafana", "--only", "data", "--target", dataDir);

        Assert.Contains("grafana.db-wal is not part of the snapshot", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDir, "grafana.db-wal")));
        Assert.False(File.Exists(Path.Combine(dataDir, "grafana.db-shm")));
        var stamp = Path.GetFileName(Assert.Single(Directory.GetFiles(dataDir, "grafana.db.pre-restore-*")))["grafana.db.pre-restore-".Length..];
        Assert.True(File.Exists(Path.Combine(dataDir, "grafana.db-wal.pre-restore-" + stamp)), "moved aside with the replaced database's stamp");
        var report = GrafanaDatabaseCheck.Run(Path.Combine(dataDir, "grafana.db"), CancellationToken.None);
        Assert.True(report.IsIntact, string.Join("; ", report.IntegrityMessages));
        Assert.Equal(recorded["dashboard"], report.RowCounts["dashboard"]);
        Assert.Equal(recorded["folder"], report.RowCounts["folder"]);
    }

    /// <summary>A writer in another process (as Grafana is) that commits in WAL mode without checkpointing, then dies without closing.</summary>
    private static async Task CrashWhileWritingAsync(string database, string script)
    {
        await File.WriteAllTextAsync(script, """
            import os, sqlite3, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("PRAGMA wal_autocheckpoint=0")
            for i in range(40):
                c.execute("INSERT INTO dashboard(uid, title, data) VALUES (?, 'after the backup', '{}')", ("crash-%d" % i,))
            c.execute("DELETE FROM folder WHERE uid = 'f1'")
            os._exit(0)
            """);
        var info = new ProcessStartInfo("python3") { UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(database);
        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
    }
}
