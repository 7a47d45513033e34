using Stackvault.Components.Grafana;
using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Components.Loki;
using Stackvault.Tests.Components.StandIns;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// Live restores of engine components through the CLI: Grafana with restore stop/start hooks and readiness against a
/// <see cref="GrafanaApiStandIn"/> (503 fails and leaves the previous database recoverable), and Loki's version check
/// against a Loki stand-in (a mismatch warns, fails with --strict before anything changes).
/// </summary>
public sealed class LiveRestoreEngineTests
{
    private static string GrafanaConfig(TempDirectory temp, Uri url) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          grafana:
            type: grafana
            database: {temp.Sub("live/grafana.db")}
            url: "{url}"
            restore_hooks:
              stop: [{"{"} command: "echo stop >> {temp.Sub("hooks.log")}" {"}"}]
              start: [{"{"} command: "echo start >> {temp.Sub("hooks.log")}" {"}"}]
        jobs:
          dash: {"{"} repository: main, components: [grafana] {"}"}
        """);

    private static async Task<(CliRunner Cli, string Config, byte[] Changed)> GrafanaBackedUpAndChangedAsync(TempDirectory temp, GrafanaApiStandIn grafana)
    {
        Directory.CreateDirectory(temp.Sub("live"));
        GrafanaSchema.CreateGrafana11(temp.Sub("live/grafana.db"));
        var config = GrafanaConfig(temp, grafana.Url);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "dash", "--config", config);
        using (var db = new SqliteConnection(temp.Sub("live/grafana.db"), SqliteOpenMode.ReadWrite))
        {
            db.Execute("INSERT INTO dashboard(uid, title, data, is_folder) VALUES ('late', 'Added after the backup', '{}', 0)");
        }

        return (cli, config, File.ReadAllBytes(temp.Sub("live/grafana.db")));
    }

    [Fact]
    public async Task Grafana_Ready_RunsStopSwapStart_ChecksIntegrityAndCounts()
    {
        using var temp = new TempDirectory();
        await using var grafana = new GrafanaApiStandIn();
        var (cli, config, _) = await GrafanaBackedUpAndChangedAsync(temp, grafana);
        var backedUp = GrafanaDatabaseCheck.Run(temp.Sub("live/grafana.db")).RowCounts["dashboard"] - 1;

        var result = await cli.ExpectAsync(0, "restore", "latest", "--component", "grafana", "--config", config, "--yes");

        Assert.Equal("stop\nstart\n", File.ReadAllText(temp.Sub("hooks.log")));
        Assert.Contains("restored, ready and checked (integrity_check ok; rows: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"dashboard {backedUp},", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(backedUp, GrafanaDatabaseCheck.Run(temp.Sub("live/grafana.db")).RowCounts["dashboard"]);
        Assert.Contains("GET /api/health", grafana.Requests);
    }

    [Fact]
    public async Task Grafana_NotReady_Exit1_PrintsRollback_PreviousDatabaseRecoverable()
    {
        using var temp = new TempDirectory();
        await using var grafana = new GrafanaApiStandIn();
        var (cli, config, changed) = await GrafanaBackedUpAndChangedAsync(temp, grafana);
        grafana.HealthStatus = 503;

        var result = await cli.ExpectAsync(1, "restore", "latest", "--component", "grafana", "--config", config, "--yes", "--ready-timeout", "1s");

        Assert.Contains("restore of grafana failed: not ready within 1s", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("answered HTTP 503", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"stackvault restore --rollback --component grafana --config {config}", result.Stderr, StringComparison.Ordinal);
        var kept = Assert.Single(Directory.GetFiles(temp.Sub("live"), "grafana.db.pre-restore-*"));
        Assert.Contains($"mv '{kept}' '{temp.Sub("live/grafana.db")}'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(changed, File.ReadAllBytes(kept));

        await cli.ExpectAsync(0, "restore", "--rollback", "--component", "grafana", "--config", config);

        Assert.Equal(changed, File.ReadAllBytes(temp.Sub("live/grafana.db")));
        Assert.Equal("stop\nstart\nstop\nstart\n", File.ReadAllText(temp.Sub("hooks.log")));
    }

    private static string LokiConfig(TempDirectory temp, Uri url) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          loki: {"{"} type: loki, url: "{url}", data_dir: {temp.Sub("loki")} {"}"}
        jobs:
          logs: {"{"} repository: main, components: [loki] {"}"}
        """);

    [Fact]
    public async Task Loki_VersionMismatch_Warns_WithStrict_Exit1_NothingChanged()
    {
        using var temp = new TempDirectory();
        LokiDataDir.Create(temp.Sub("loki"));
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await using (var loki = new LokiStandInServer(temp.Sub("loki")))
        {
            await cli.ExpectAsync(0, "backup", "--job", "logs", "--config", LokiConfig(temp, loki.Url));
        }

        await using var newer = new StandInHttpServer((method, path) => path switch
        {
            "/loki/api/v1/status/buildinfo" => (200, """{"version":"3.6.1","revision":"standin"}"""),
            "/ready" => (200, "ready"),
            _ => (404, "not found"),
        });
        var config = LokiConfig(temp, newer.Url);
        File.WriteAllText(temp.Sub("loki/marker"), "live");
        var before = TreeHash.Of(temp.Sub("loki"));

        var strict = await cli.ExpectAsync(1, "restore", "latest", "--component", "loki", "--config", config, "--yes", "--strict");

        Assert.Contains($"the snapshot was taken from loki {LokiStandInServer.Version}, the running one is 3.6.1", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains($"pin {LokiStandInServer.Version}", strict.Stderr, StringComparison.Ordinal);
        Assert.Contains("--strict: nothing was changed", strict.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, TreeHash.Of(temp.Sub("loki")));

        var warned = await cli.ExpectAsync(0, "restore", "latest", "--component", "loki", "--config", config, "--yes");

        Assert.Contains("warning: loki: version mismatch", warned.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.Sub("loki/marker")));
        Assert.Single(Directory.GetDirectories(temp.Path, "loki.pre-restore-*"));
    }

    [Fact]
    public async Task Job_StagesAll_ThenStopSwapStartEachInTheJobsOrder_AStopHookFailureLeavesTheRestUntouched()
    {
        using var temp = new TempDirectory();
        foreach (var name in new[] { "x", "y" })
        {
            Directory.CreateDirectory(temp.Sub("live/" + name));
            File.WriteAllText(temp.Sub($"live/{name}/f"), name);
        }

        string Hook(string what) => $"{{ command: \"echo {what} >> {temp.Sub("hooks.log")}\" }}";
        string Config(string yStop) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              y: {"{"} type: files, paths: [{temp.Sub("live/y")}], restore_hooks: {"{"} stop: [{yStop}], start: [{Hook("start-y")}] {"}"} {"}"}
              x: {"{"} type: files, paths: [{temp.Sub("live/x")}], restore_hooks: {"{"} stop: [{Hook("stop-x")}], start: [{Hook("start-x")}] {"}"} {"}"}
            jobs:
              j: {"{"} repository: main, components: [x, y] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.ExpectAsync(0, "backup", "--job", "j", "--config", Config(Hook("stop-y")));
        File.WriteAllText(temp.Sub("live/x/f"), "changed x");
        File.WriteAllText(temp.Sub("live/y/f"), "changed y");

        await cli.ExpectAsync(0, "restore", "latest", "--job", "j", "--config", Config(Hook("stop-y")), "--yes");

        Assert.Equal("stop-x\nstart-x\nstop-y\nstart-y\n", File.ReadAllText(temp.Sub("hooks.log")));
        Assert.Equal(("x", "y"), (File.ReadAllText(temp.Sub("live/x/f")), File.ReadAllText(temp.Sub("live/y/f"))));

        File.Delete(temp.Sub("hooks.log"));
        File.WriteAllText(temp.Sub("live/y/f"), "changed y again");
        var failed = await cli.ExpectAsync(1, "restore", "latest", "--job", "j", "--config", Config("{ command: [false] }"), "--yes");

        Assert.Contains("restore of y failed: a stop hook failed, y was not touched", failed.Stderr, StringComparison.Ordinal);
        Assert.Contains("--rollback --component x", failed.Stderr, StringComparison.Ordinal);
        Assert.Equal("changed y again", File.ReadAllText(temp.Sub("live/y/f")));
        Assert.Empty(Directory.GetDirectories(temp.Sub("live"), ".stackvault-*"));
    }
}
