using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>
/// <c>backup --job</c>'s metrics read by the real programs operators run: <c>--pushgateway</c> into a real
/// Pushgateway that a real Prometheus scrapes (queried back through Prometheus's API), and <c>--metrics-textfile</c>
/// through a real node_exporter's textfile collector (its /metrics read). Debian's prometheus-pushgateway,
/// prometheus and prometheus-node-exporter, each on a free port of 127.0.0.1.
/// </summary>
public sealed class MetricsRealServersTests
{
    private static async Task<(CliRunner Cli, string Config)> SetUpAsync(TempDirectory temp)
    {
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "some data");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        return (cli, JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              data: {"{"} type: files, paths: [{temp.Sub("data")}] {"}"}
              broken: {"{"} type: command, command: [sh, -c, "exit 3"], filename: x {"}"}
            jobs:
              nightly: {"{"} repository: main, components: [data], rpo: 1d {"}"}
              flaky: {"{"} repository: main, components: [data, broken] {"}"}
            """));
    }

    [Fact]
    public async Task Pushgateway_ScrapedByPrometheus_HasTheJobsMetrics()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        await using var gateway = await LocalServer.StartAsync(
            "/usr/bin/prometheus-pushgateway", (port, dir) => [$"--web.listen-address=127.0.0.1:{port}", $"--persistence.file={dir}/pushed"], "-/ready");
        await using var prometheus = await LocalServer.StartAsync(
            "/usr/bin/prometheus",
            (port, dir) => [$"--config.file={dir}/prometheus.yml", $"--storage.tsdb.path={dir}/data", $"--web.listen-address=127.0.0.1:{port}"],
            "-/ready",
            (_, dir) => File.WriteAllText(Path.Combine(dir, "prometheus.yml"), $"""
                global: {"{"} scrape_interval: 1s {"}"}
                scrape_configs:
                  - job_name: pushgateway
                    honor_labels: true
                    static_configs: [{"{"} targets: ['127.0.0.1:{gateway.Port}'] {"}"}]
                """));

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--pushgateway", gateway.Url.ToString().TrimEnd('/'), "-q");
        await cli.ExpectAsync(3, "backup", "--job", "flaky", "--config", config, "--state-dir", temp.Sub("state"), "--pushgateway", gateway.Url.ToString(), "-q");

        // The gateway holds one group per job, as pushed (PUT replaces the group).
        var pushed = await gateway.GetStringAsync("metrics");
        Assert.Contains($"stackvault_backup_last_status{{instance=\"{Environment.MachineName}\",job=\"nightly\"}} 1", pushed, StringComparison.Ordinal);
        Assert.Contains($"stackvault_backup_last_status{{instance=\"{Environment.MachineName}\",job=\"flaky\"}} 0", pushed, StringComparison.Ordinal);

        // Prometheus scraped it: the job label is the job's, not the scrape job's (honor_labels).
        var values = await LocalServer.EventuallyAsync(
            async () =>
            {
                using var document = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString("stackvault_backup_last_status")));
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                return result.GetArrayLength() == 2
                    ? result.EnumerateArray().ToDictionary(r => r.GetProperty("metric").GetProperty("job").GetString()!, r => r.GetProperty("value")[1].GetString()!)
                    : null;
            },
            "Prometheus scraped both jobs' stackvault_backup_last_status from the Pushgateway");
        Assert.Equal("1", values["nightly"]);
        Assert.Equal("0", values["flaky"]);
        using var partial = JsonDocument.Parse(await prometheus.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString("stackvault_backup_runs_total{job=\"flaky\",result=\"partial\"}")));
        Assert.Equal("1", Assert.Single(partial.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()).GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task Textfile_ReadByNodeExporterTextfileCollector_WithoutScrapeError()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        var textfiles = temp.Sub("textfiles");
        Directory.CreateDirectory(textfiles);
        await using var exporter = await LocalServer.StartAsync(
            "/usr/bin/prometheus-node-exporter",
            (port, _) => [$"--web.listen-address=127.0.0.1:{port}", "--collector.disable-defaults", "--collector.textfile", $"--collector.textfile.directory={textfiles}"],
            "metrics");

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--metrics-textfile", Path.Combine(textfiles, "stackvault.prom"), "-q");
        await cli.ExpectAsync(3, "backup", "--job", "flaky", "--config", config, "--state-dir", temp.Sub("state"), "--metrics-textfile", Path.Combine(textfiles, "stackvault.prom"), "-q");

        var metrics = await exporter.GetStringAsync("metrics");
        Assert.Contains("node_textfile_scrape_error 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_last_status{job=\"nightly\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_last_status{job=\"flaky\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_runs_total{job=\"flaky\",result=\"partial\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("stackvault_component_last_status{component=\"broken\",job=\"flaky\"} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains("node_textfile_mtime_seconds{file=", metrics, StringComparison.Ordinal);
    }
}
