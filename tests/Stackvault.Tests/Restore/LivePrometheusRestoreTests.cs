using System.Diagnostics;
using Stackvault.Components.Prometheus;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A live restore into a real, running Prometheus: restore_hooks stop it (kill, wait) and start it again on its
/// data_dir; the restore waits for <c>/-/ready</c>, checks a query, and the restarted server answers the query it
/// answered before the backup, while the previous data directory stays as <c>*.pre-restore-TIME</c>.
/// </summary>
public sealed class LivePrometheusRestoreTests
{
    [Fact]
    public async Task LiveRestore_StopsSwapsStartsARealPrometheus_SameAnswer_PreviousDataKept()
    {
        using var temp = new TempDirectory();
        var port = PrometheusServerFixture.FreePort();
        var data = temp.Sub("prometheus");
        File.WriteAllText(temp.Sub("prometheus.yml"), $$"""
            global: { scrape_interval: 1s }
            scrape_configs: [{ job_name: self, static_configs: [{ targets: ["127.0.0.1:{{port}}"] }] }]
            """);
        File.WriteAllText(temp.Sub("start.sh"), $"setsid {PrometheusServerFixture.Binary} --config.file={temp.Sub("prometheus.yml")} --storage.tsdb.path={data} "
            + $"--web.listen-address=127.0.0.1:{port} --web.enable-admin-api >>{temp.Sub("prometheus.log")} 2>&1 </dev/null & echo $! >{temp.Sub("pid")}\n");
        File.WriteAllText(temp.Sub("stop.sh"), $"p=$(cat {temp.Sub("pid")}); kill $p; while kill -0 $p 2>/dev/null; do sleep 0.1; done\n");
        await ShAsync(temp.Sub("start.sh"));
        try
        {
            using var http = new HttpClient();
            var client = new PrometheusClient(http, new Uri($"http://127.0.0.1:{port}/"), TimeProvider.System);
            await WaitAsync(async () => await ReadyAsync(client) && await CountAsync(client, DateTimeOffset.UtcNow) >= 4);
            var t0 = DateTimeOffset.UtcNow.AddSeconds(-1);
            var before = await CountAsync(client, t0);
            var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
                components:
                  prom:
                    type: prometheus
                    url: "http://127.0.0.1:{port}"
                    data_dir: {data}
                    restore_hooks:
                      stop: [{"{"} command: [sh, {temp.Sub("stop.sh")}] {"}"}]
                      start: [{"{"} command: [sh, {temp.Sub("start.sh")}] {"}"}]
                jobs:
                  metrics: {"{"} repository: main, components: [prom] {"}"}
                """);
            var cli = new CliRunner(temp.Sub("repo"));
            await cli.InitAsync();
            await cli.ExpectAsync(0, "backup", "--job", "metrics", "--config", config);

            var result = await cli.ExpectAsync(0, "restore", "latest", "--component", "prom", "--config", config, "--yes", "--ready-timeout", "2m");

            Assert.Contains("prom: restored, ready and checked", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("version mismatch", result.Stderr, StringComparison.Ordinal);
            var kept = Assert.Single(Directory.GetDirectories(temp.Path, "prometheus.pre-restore-*"));
            Assert.True(Directory.Exists(Path.Join(kept, "wal")));
            Assert.NotEmpty(TsdbLayout.Scan(data).Blocks);
            Assert.Equal(before, await CountAsync(client, t0));
        }
        finally
        {
            await ShAsync(temp.Sub("stop.sh"));
        }
    }

    private static async Task ShAsync(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("sh", [script]) { UseShellExecute = false })!;
        await process.WaitForExitAsync();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300 && !await condition(); i++)
        {
            await Task.Delay(200);
        }
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
        try
        {
            var series = await client.QueryAsync("count_over_time(up[1h])", at, CancellationToken.None);
            return series.Sum(s => s.Samples.Sum(x => x.Value));
        }
        catch (Errors.StackvaultException)
        {
            return 0;
        }
    }
}
