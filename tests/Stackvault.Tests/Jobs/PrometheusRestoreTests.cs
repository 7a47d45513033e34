using Stackvault.Components.Prometheus;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>
/// The restore half of the Prometheus component, with real servers: a snapshot taken through the API, restored with
/// <c>restore --component</c> into an empty data directory, serves the same samples from a second Prometheus.
/// </summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusRestoreTests(PrometheusServerFixture server)
{
    [Fact]
    public async Task RestoreComponent_IntoFreshDataDir_SecondPrometheusAnswersTheSameQuery()
    {
        await server.WaitForScrapesAsync(5);
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-1);
        var before = await CountAsync(server.Client, t0);
        Assert.True(before >= 4, $"only {before} samples scraped");

        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              prom: {"{"} type: prometheus, url: "{server.Url}", data_dir: {server.DataDirectory} {"}"}
            jobs:
              metrics: {"{"} repository: main, components: [prom] {"}"}
            """);
        await cli.RunOkAsync("backup", "--job", "metrics", "--config", config);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(server.DataDirectory, "snapshots")));

        var data = temp.Sub("restored-data");
        await cli.RunOkAsync("restore", "latest", "--component", "prom", "--target", data, "--verify");
        Assert.NotEmpty(TsdbLayout.Scan(data).Blocks);

        await using var second = await PrometheusServerFixture.StartAsync("global: { scrape_interval: 1h }\n", data, enableAdminApi: false);
        Assert.Equal(before, await CountAsync(new PrometheusClient(second.Http, second.Url, TimeProvider.System), t0));
    }

    [Fact]
    public async Task RestoreComponent_UnknownName_Exits2NamingTheComponents()
    {
        await server.WaitForScrapesAsync(2);
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              prom: {"{"} type: prometheus, url: "{server.Url}", data_dir: {server.DataDirectory} {"}"}
            jobs:
              metrics: {"{"} repository: main, components: [prom] {"}"}
            """);
        await cli.RunOkAsync("backup", "--job", "metrics", "--config", config);
        var result = await cli.ExpectAsync(2, "restore", "latest", "--component", "grafana", "--target", temp.Sub("x"));
        Assert.Contains("components: prom", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<double> CountAsync(PrometheusClient client, DateTimeOffset at)
    {
        var series = await client.QueryAsync("count_over_time(up[1h])", at, CancellationToken.None);
        return series.Sum(s => s.Samples.Sum(x => x.Value));
    }
}
