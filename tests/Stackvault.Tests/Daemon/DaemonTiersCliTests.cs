using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Daemon;

/// <summary>
/// <c>stackvault run</c> with the seeds' tiers: retention keeps the hot repository at <c>keep_last</c>, a warm tier is
/// copied to, a "USB drive" that is not there is skipped with a structured JSON warning and a growing lag, catches up
/// once it is initialised; a second job on the same repository never runs at the same time; SIGTERM leaves no lock.
/// </summary>
public sealed class DaemonTiersCliTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Run_UsbTierAwayThenBack_LagLoggedAndCaughtUp_JobsOnOneRepositorySerialized()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "a.txt"), "tiers");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await new CliRunner(temp.Sub("warm")).InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: test-password }
              warm: { url: {{temp.Sub("warm")}}, password: test-password }
              usb:  { url: {{temp.Sub("usb")}}, password: test-password }
            components:
              data: { type: files, paths: [{{data}}] }
              slow: { type: command, command: "sleep 1; echo slow", filename: slow.txt }
            jobs:
              critical: { repository: main, components: [data], schedule: "@every 2s", retention: { keep_last: 2 }, copy_to: [warm, usb] }
              other: { repository: main, components: [slow], schedule: "@every 2s" }
            """);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}/metrics";
        var stderr = new List<string>();
        using var daemon = cli.Start("run", "--config", config, "--listen", $"127.0.0.1:{port}", "--state-dir", temp.Sub("state"), "--log-format", "json");
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Add(e.Data); } } };
        daemon.OutputDataReceived += (_, _) => { };
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        try
        {
            var metrics = await PollAsync(url, m => Value(m, "stackvault_tier_copy_runs_total{job=\"critical\",tier=\"usb\",result=\"skipped\"}") >= 3, daemon, stderr);
            Assert.True(Value(metrics, "stackvault_tier_lag_snapshots{job=\"critical\",tier=\"usb\"}") >= 1, metrics);
            Assert.True(Value(metrics, "stackvault_retention_removed_snapshots_total{job=\"critical\"}") >= 1, metrics);
            Assert.Equal(-1, Value(metrics, "stackvault_tier_copy_last_success_timestamp_seconds{job=\"critical\",tier=\"usb\"}"));
            Assert.False(Directory.Exists(temp.Sub("usb")), "a skipped tier was created");

            await new CliRunner(temp.Sub("usb")).InitAsync();
            metrics = await PollAsync(url, m => Value(m, "stackvault_tier_copy_runs_total{job=\"critical\",tier=\"usb\",result=\"success\"}") >= 1, daemon, stderr);
            Assert.Equal(0, Value(metrics, "stackvault_tier_lag_snapshots{job=\"critical\",tier=\"usb\"}"));
        }
        finally
        {
            Signals.TrySend(daemon, Signals.Terminate);

            await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        string[] log;
        lock (stderr)
        {
            log = [.. stderr];
        }

        Assert.True(daemon.ExitCode == 0, string.Join('\n', log));
        foreach (var repository in new[] { "repo", "warm", "usb" })
        {
            Assert.Empty(RepositoryFiles.Objects(temp.Sub(repository), "locks"));
        }

        var usb = await JobManifests.AllAsync(temp.Sub("usb"));
        Assert.InRange(usb.Count, 1, 2); // the tier's own retention keeps it at keep_last too
        var records = log.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        string Field(JsonElement r, string name) => r.TryGetProperty(name, out var v) ? v.ToString() : string.Empty;
        var skipped = records.First(r => Field(r, "msg") == "tier copy skipped");
        Assert.Equal(("warn", "usb", "critical"), (Field(skipped, "level"), Field(skipped, "tier"), Field(skipped, "job")));
        Assert.True(skipped.GetProperty("lag_snapshots").GetInt32() >= 1);
        Assert.Contains("not present", Field(skipped, "message"), StringComparison.Ordinal);
        Assert.Contains(records, r => Field(r, "msg") == "tier copy success" && Field(r, "tier") == "usb" && r.GetProperty("copied").GetInt32() >= 1);
        Assert.DoesNotContain(records, r => Field(r, "msg").StartsWith("job critical: copy to", StringComparison.Ordinal)); // not twice

        var running = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Where(r => Field(r, "msg") is "run started" or "run finished"))
        {
            var key = Field(record, "job") + "/" + Field(record, "kind");
            if (Field(record, "msg") == "run started")
            {
                Assert.True(running.Count == 0, $"{key} started while {string.Join(",", running)} ran on the same repository");
                running.Add(key);
            }
            else
            {
                Assert.True(running.Remove(key), $"{key} finished without starting");
            }
        }

        Assert.Contains(records, r => Field(r, "msg") == "run finished" && Field(r, "job") == "other" && Field(r, "status") == "success");
    }

    /// <summary>The value of the sample with exactly this name and labels, or -1 when absent.</summary>
    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> PollAsync(string url, Func<string, bool> condition, Process daemon, List<string> stderr)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        var last = string.Empty;
        while (DateTime.UtcNow < deadline && !daemon.HasExited)
        {
            try
            {
                last = await Http.GetStringAsync(url);
                if (condition(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        lock (stderr)
        {
            Assert.Fail($"condition not reached on {url} (daemon exited: {daemon.HasExited}); last answer:\n{last}\nlog:\n{string.Join('\n', stderr)}");
        }

        return last;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
