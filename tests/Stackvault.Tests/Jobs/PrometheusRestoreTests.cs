using System.Diagnostics;
using Stackvault.Components.Prometheus;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>
/// The restore half of the Prometheus component, with real servers: a snapshot taken through the API, restored with
/// <c>restore --component</c> into an empty data directory, serves the same samples from a second Prometheus.
/// </summary>
public sealed class PrometheusRestoreTests(PrometheusServerFixture server) : IClassFixture<PrometheusServerFixture>
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

        await File.WriteAllTextAsync(temp.Sub("empty.yml"), "global: { scrape_interval: 1h }\n");
        var port = PrometheusServerFixture.FreePort();
        var info = new ProcessStartInfo(PrometheusServerFixture.Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add($"--config.file={temp.Sub("empty.yml")}");
        info.ArgumentList.Add($"--storage.tsdb.path={data}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        using var second = Process.Start(info)!;
        second.BeginErrorReadLine();
        second.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient();
            var client = new PrometheusClient(http, new Uri($"http://127.0.0.1:{port}/"), TimeProvider.System);
            for (var i = 0; i < 100 && !await ReadyAsync(client); i++)
            {
                await Task.Delay(200);
            }

            Assert.Equal(before, await CountAsync(client, t0));
        }
        finally
        {
            second.Kill();
            await second.WaitForExitAsync();
        }
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

    private static async Task<bool> ReadyAsync(PrometheusClient client)
    {
        try
        {
            return await client.ReadyAsync(CancellationToken.None);
        }
        catch (Errors.StackvaultException)
        {
            return false;
        }
    }

    private static async Task<double> CountAsync(PrometheusClient client, DateTimeOffset at)
    {
        var series = await client.QueryAsync("count_over_time(up[1h])", at, CancellationToken.None);
        return series.Sum(s => s.Samples.Sum(x => x.Value));
    }
}
