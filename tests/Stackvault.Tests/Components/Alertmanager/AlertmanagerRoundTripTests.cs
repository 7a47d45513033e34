using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Alertmanager;

/// <summary>
/// <c>type: alertmanager</c> against real Alertmanagers (Debian's prometheus-alertmanager, free ports, clustering off),
/// driven through the CLI: silences made through the API are backed up (API copy and data files), re-created once on a
/// fresh Alertmanager by <c>am-restore</c> (a second run creates nothing), and a drill starts an Alertmanager on the
/// restored files and finds them; a drill of a backup whose silences file is empty fails.
/// </summary>
public sealed class AlertmanagerRoundTripTests
{
    private const string Binary = "/usr/bin/prometheus-alertmanager";

    private static Task<LocalServer> StartAsync(string maintenance, Action<string>? prepareData = null) => LocalServer.StartAsync(
        Binary,
        (port, dir) =>
        [
            $"--config.file={dir}/alertmanager.yml", $"--storage.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=", $"--data.maintenance-interval={maintenance}",
        ],
        "-/ready",
        (_, dir) =>
        {
            File.WriteAllText(Path.Combine(dir, "alertmanager.yml"), "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
            Directory.CreateDirectory(Path.Combine(dir, "data"));
            prepareData?.Invoke(Path.Combine(dir, "data"));
        });

    private static async Task CreateSilenceAsync(LocalServer server, string comment, TimeSpan startsIn)
    {
        var now = DateTimeOffset.UtcNow;
        var body = new
        {
            matchers = new[] { new { name = "alertname", value = comment, isRegex = false, isEqual = true }, new { name = "job", value = "node.*", isRegex = true, isEqual = true } },
            startsAt = now + startsIn,
            endsAt = now + startsIn + TimeSpan.FromHours(2),
            createdBy = "ops",
            comment,
        };
        using var response = await server.Http.PostAsJsonAsync(new Uri(server.Url, "api/v2/silences"), body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<JsonElement>> SilencesAsync(LocalServer server)
    {
        using var document = JsonDocument.Parse(await server.GetStringAsync("api/v2/silences"));
        return [.. document.RootElement.EnumerateArray().Select(s => s.Clone())];
    }

    private static string Config(TempDirectory temp, string name, LocalServer server) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          am: {"{"} type: alertmanager, url: "{server.Url}", data_dir: {Path.Combine(server.Root.Path, "data")} {"}"}
        jobs:
          alerting: {"{"} repository: main, components: [am] {"}"}
        """) is var file && name != "stackvault.yaml" ? Move(file, temp.Sub(name)) : file;

    private static string Move(string from, string to)
    {
        File.Move(from, to, overwrite: true);
        return to;
    }

    [Fact]
    public async Task Silences_BackedUp_RestoredOnceOnAFreshAlertmanager_AndDrilled()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        string config;
        await using (var source = await StartAsync("1s"))
        {
            await CreateSilenceAsync(source, "DiskFull", TimeSpan.Zero);
            await CreateSilenceAsync(source, "Maintenance", TimeSpan.FromHours(1));
            var silencesFile = Path.Combine(source.Root.Path, "data", "silences");
            await LocalServer.EventuallyAsync(
                () => Task.FromResult(File.Exists(silencesFile) && Encoding.UTF8.GetString(File.ReadAllBytes(silencesFile)) is var text
                    && text.Contains("DiskFull", StringComparison.Ordinal) && text.Contains("Maintenance", StringComparison.Ordinal) ? "written" : null),
                "Alertmanager wrote both silences to its data directory");
            config = Config(temp, "source.yaml", source);
            await cli.RunOkAsync("backup", "--job", "alerting", "--config", config);
        }

        var show = await cli.RunOkAsync("show", "latest", "--json");
        Assert.Matches("\"engine_version\": ?\"\\d+\\.\\d+\\.\\d+", show.Stdout); // from /api/v2/status versionInfo

        // The drill starts its own Alertmanager on the restored silences/nflog and finds both silences by id.
        var drill = await cli.ExpectAsync(0, "drill", "--job", "alerting", "--config", config, "--json");
        using (var json = JsonDocument.Parse(drill.Json().GetRawText()))
        {
            var checks = json.RootElement.GetProperty("components")[0].GetProperty("checks").EnumerateArray().ToList();
            var silences = checks.Single(c => c.GetProperty("name").GetString() == "silences");
            Assert.True(silences.GetProperty("passed").GetBoolean(), drill.Stdout);
            Assert.Contains("all 2 silences", silences.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // A fresh Alertmanager (empty data): the silences come back through the API, once.
        await using var target = await StartAsync("15m");
        Assert.Empty(await SilencesAsync(target));
        var targetConfig = Config(temp, "target.yaml", target);
        var restored = temp.Sub("restored");
        await cli.RunOkAsync("restore", "latest", "--component", "am", "--target", restored, "--config", targetConfig);
        Assert.True(File.Exists(Path.Combine(restored, "silences")));
        Assert.True(File.Exists(Path.Combine(restored, "nflog")));

        var first = await cli.RunOkAsync("am-restore", Path.Combine(restored, "api-silences.json"), "--component", "am", "--config", targetConfig);
        Assert.Contains("2 created, 0 skipped (already there)", first.Stdout, StringComparison.Ordinal);
        var second = await cli.RunOkAsync("am-restore", Path.Combine(restored, "api-silences.json"), "--component", "am", "--config", targetConfig);
        Assert.Contains("0 created, 2 skipped (already there)", second.Stdout, StringComparison.Ordinal);

        var back = await SilencesAsync(target);
        Assert.Equal(["DiskFull", "Maintenance"], back.Select(s => s.GetProperty("comment").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(["active", "pending"], back.OrderBy(s => s.GetProperty("comment").GetString(), StringComparer.Ordinal).Select(s => s.GetProperty("status").GetProperty("state").GetString()));
        Assert.All(back, s => Assert.Equal(2, s.GetProperty("matchers").GetArrayLength()));
    }

    [Fact]
    public async Task Drill_SilencesFileEmpty_WhileTheApiHadSilences_Fails()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        // An empty silences file on disk (Alertmanager writes its silences only every 15 minutes): the API has two.
        await using var source = await StartAsync("15m", data => File.WriteAllBytes(Path.Combine(data, "silences"), []));
        await CreateSilenceAsync(source, "DiskFull", TimeSpan.Zero);
        await CreateSilenceAsync(source, "Maintenance", TimeSpan.Zero);
        var config = Config(temp, "stackvault.yaml", source);
        await cli.RunOkAsync("backup", "--job", "alerting", "--config", config);

        var drill = await cli.RunAsync("drill", "--job", "alerting", "--config", config, "--json");

        Assert.NotEqual(0, drill.ExitCode);
        Assert.Contains("the restored data holds no silence, while the backup recorded 2", drill.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveRestore_PutsSilencesAndNflogBack_AndAnAlertmanagerServesThem()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        string config, dataDir;
        byte[] silences;
        await using (var source = await StartAsync("1s"))
        {
            await CreateSilenceAsync(source, "DiskFull", TimeSpan.Zero);
            dataDir = Path.Combine(source.Root.Path, "data");
            await LocalServer.EventuallyAsync(
                () => Task.FromResult(File.Exists(Path.Combine(dataDir, "silences")) && Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dataDir, "silences"))).Contains("DiskFull", StringComparison.Ordinal) ? "written" : null),
                "Alertmanager wrote the silence to its data directory");
            config = Config(temp, "stackvault.yaml", source);
            await cli.RunOkAsync("backup", "--job", "alerting", "--config", config);
            silences = File.ReadAllBytes(Path.Combine(dataDir, "silences"));
        }

        // The volume is lost: a new Alertmanager runs on an empty one. A live restore swaps exactly silences and nflog
        // in (the post-restore readiness check asks the running one).
        await using var fresh = await StartAsync("15m");
        var live = Path.Combine(fresh.Root.Path, "data");
        config = Config(temp, "stackvault.yaml", fresh);
        await cli.RunOkAsync("restore", "latest", "--component", "am", "--yes", "--config", config);
        Assert.Equal(silences, File.ReadAllBytes(Path.Combine(live, "silences")));
        Assert.True(File.Exists(Path.Combine(live, "nflog")));
        Assert.False(File.Exists(Path.Combine(live, "api-silences.json")));

        await using var restarted = await StartAsync("15m", data => File.Copy(Path.Combine(live, "silences"), Path.Combine(data, "silences")));
        Assert.Equal("DiskFull", Assert.Single(await SilencesAsync(restarted)).GetProperty("comment").GetString());
    }
}
