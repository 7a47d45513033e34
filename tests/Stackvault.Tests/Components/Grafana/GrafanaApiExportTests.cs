using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stackvault.Repository.Model;
using Stackvault.Tests.Components.StandIns;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Grafana;

/// <summary><c>backup --job</c> of a Grafana component with url and api_token, against <see cref="GrafanaApiStandIn"/>.</summary>
public sealed class GrafanaApiExportTests
{
    private const string Token = "glsa_TOKEN-must-not-be-stored";

    private static string Config(TempDirectory temp, Uri url) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          grafana:
            type: grafana
            database: {temp.Sub("grafana.db")}
            url: "{url}"
            api_token: "{Token}"
        jobs:
          dash: {"{"} repository: main, components: [grafana] {"}"}
        """);

    [Fact]
    public async Task Backup_WithUrlAndToken_StoresReadableJson_WithoutAnySecret()
    {
        using var temp = new TempDirectory();
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        await using var grafana = new GrafanaApiStandIn();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "dash", "--config", Config(temp, grafana.Url));
        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));

        var api = temp.Sub("out") + "/grafana/api";
        using var node = JsonDocument.Parse(File.ReadAllText(api + "/dashboards/node.json"));
        Assert.Equal("Node", node.RootElement.GetProperty("dashboard").GetProperty("title").GetString());
        Assert.True(File.Exists(api + "/dashboards/loki-logs.json"));
        Assert.Contains("Infra", File.ReadAllText(api + "/folders.json"), StringComparison.Ordinal);
        Assert.Contains("HighCPU", File.ReadAllText(api + "/alert-rules.json"), StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", File.ReadAllText(api + "/contact-points.json"), StringComparison.Ordinal);
        Assert.Contains("alertname", File.ReadAllText(api + "/notification-policies.json"), StringComparison.Ordinal);
        var datasources = File.ReadAllText(api + "/datasources.json");
        Assert.Contains("X-Scope-OrgID", datasources, StringComparison.Ordinal);
        Assert.Contains("secureJsonFields", datasources, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(temp.Sub("out"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(GrafanaApiStandIn.Leak, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        }

        var section = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "grafana");
        Assert.Equal((2L, 2L, 1L, 2L), (section.Checks!["api.dashboards"], section.Checks["api.datasources"], section.Checks["api.alert_rules"], section.Checks["api.contact_points"]));
        Assert.Null(section.Error);
        Assert.Contains("GET /api/search?type=dash-db&limit=1000&page=1", grafana.Requests);
    }

    [Fact]
    public async Task Backup_ApiUnreachable_WarnsInTheSection_DatabaseStillBackedUp()
    {
        using var temp = new TempDirectory();
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "dash", "--config", Config(temp, closed));

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(["/grafana/grafana.db"], snapshot.Paths);
        var section = JobManifests.Section(snapshot, "grafana");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Contains("unreachable", section.Error, StringComparison.Ordinal);
        Assert.Contains("the database is backed up", section.Error, StringComparison.Ordinal);
        Assert.True(section.Checks!["dashboard"] > 0);
    }
}
