using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;
using Stackvault.Tests.Telemetry;

namespace Stackvault.Tests.Daemon;

/// <summary>
/// <c>stackvault run</c> for real: an <c>@every 2s</c> job into a local repository, watched through /metrics and
/// /status while it succeeds, becomes partial (a component fails), then fails (the repository is gone); SIGTERM exits 0 and leaves no lock.
/// </summary>
public sealed class DaemonCliTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Run_MetricsAndStatusFollowTheJob_SigtermExits0WithoutLocks()
    {
        using var temp = new TempDirectory();
        var data = temp.Sub("data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "a.txt"), "hello daemon");
        File.WriteAllText(temp.Sub("flag"), "up");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              data: {"{"} type: files, paths: [{data}] {"}"}
              gate: {"{"} type: command, command: [cat, {temp.Sub("flag")}], filename: flag.txt {"}"}
            jobs:
              often: {"{"} repository: main, components: [data, gate], schedule: "@every 2s", rpo: 1h, verify: {"{"} schedule: "@every 2s", read_data_subset: 1/2 {"}"} {"}"}
              manual: {"{"} repository: main, components: [data], rpo: 1h {"}"}
            """);
        var port = LocalServer.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var stderr = new List<string>();
        using var daemon = cli.Start("run", "--config", config, "--listen", $"127.0.0.1:{port}", "--state-dir", temp.Sub("state"), "--log-format", "json");
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Add(e.Data); } } };
        daemon.OutputDataReceived += (_, _) => { };
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        try
        {
            var metrics = await PollAsync(url + "/metrics", m => Value(m, "stackvault_backup_runs_total{job=\"often\",result=\"success\"}") >= 1, daemon, stderr);
            Assert.Equal(1, Value(metrics, "stackvault_backup_last_status{job=\"often\"}"));
            Assert.Equal(1, Value(metrics, "stackvault_component_last_status{job=\"often\",component=\"gate\"}"));
            Assert.Equal(0, Value(metrics, "stackvault_backup_runs_total{job=\"manual\",result=\"success\"}"));
            Assert.Equal(1, Value(metrics, "stackvault_rpo_breached{job=\"manual\"}"));
            Assert.Equal(0, Value(metrics, "stackvault_rpo_breached{job=\"often\"}"));
            Assert.Equal("ok\n", await Http.GetStringAsync(url + "/healthz"));
            File.WriteAllText(temp.Sub("metrics.prom"), metrics);
            var (code, lint) = await PromtoolStdin.CheckMetricsAsync(temp.Sub("metrics.prom"));
            Assert.True(code == 0, lint);
            metrics = await PollAsync(url + "/metrics", m => Value(m, "stackvault_verify_last_status{job=\"often\"}") == 1, daemon, stderr);
            Assert.True(Value(metrics, "stackvault_verify_last_success_timestamp_seconds{job=\"often\"}") > 0);

            File.Delete(temp.Sub("flag")); // the command component now fails: partial
            metrics = await PollAsync(url + "/metrics", m => Value(m, "stackvault_backup_runs_total{job=\"often\",result=\"partial\"}") >= 1, daemon, stderr);
            metrics = await PollAsync(url + "/metrics", m => Value(m, "stackvault_backup_last_status{job=\"often\"}") == 0, daemon, stderr);
            Assert.Equal(0, Value(metrics, "stackvault_component_last_status{job=\"often\",component=\"gate\"}"));
            // Read only now: a run that started before the flag went could still succeed (it did under load); after a
            // partial run none can, as runs of one job never overlap.
            var lastSuccess = Value(metrics, "stackvault_backup_last_success_timestamp_seconds{job=\"often\"}");

            Directory.Move(temp.Sub("repo"), temp.Sub("repo-away")); // the repository is gone: failure
            metrics = await PollAsync(url + "/metrics", m => Value(m, "stackvault_backup_runs_total{job=\"often\",result=\"failure\"}") >= 1, daemon, stderr);
            Assert.Equal(0, Value(metrics, "stackvault_backup_last_status{job=\"often\"}"));

            var status = JsonDocument.Parse(await Http.GetStringAsync(url + "/status")).RootElement;
            var often = status.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job").GetString() == "often");
            Assert.Equal("failure", often.GetProperty("last_run").GetProperty("status").GetString());
            Assert.Contains("repository not found", often.GetProperty("last_run").GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(lastSuccess, Seconds(often.GetProperty("last_success").GetProperty("start").GetDateTimeOffset()));
            Assert.True(often.GetProperty("runs_total").GetProperty("partial").GetInt64() >= 1);
            Assert.Equal("ok", often.GetProperty("rpo_state").GetString());
            Assert.Equal("never_succeeded", status.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job").GetString() == "manual").GetProperty("rpo_state").GetString());
            Assert.False(status.GetProperty("ok").GetBoolean());
            Assert.Matches("^[12]/2$", often.GetProperty("verify").GetProperty("subset").GetString());
            // A run that held its lock when the repository was moved away could not delete it (a stale lock the move
            // made, seen under load): only locks of runs after the move back count below.
            foreach (var stale in RepositoryFiles.Objects(temp.Sub("repo-away"), "locks"))
            {
                File.Delete(stale);
            }

            Directory.Move(temp.Sub("repo-away"), temp.Sub("repo"));
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
        Assert.Empty(RepositoryFiles.Objects(temp.Sub("repo"), "locks"));
        var records = log.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(records, r => r.GetProperty("msg").GetString() == "run finished" && r.GetProperty("status").GetString() == "success");
        Assert.Contains(records, r => r.GetProperty("msg").GetString() == "run finished" && r.GetProperty("level").GetString() == "error");
        Assert.Equal("daemon stopped", records[^1].GetProperty("msg").GetString());
        Assert.DoesNotContain(log, line => line.Contains("test-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_PortInUse_FailsAtOnceWithExit1()
    {
        using var temp = new TempDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), "components:\n  d: { type: files, paths: [/etc/hostname] }\njobs:\n  j: { repository: main, components: [d], schedule: \"@daily\" }\n");
        var result = await new CliRunner(temp.Sub("repo")).ExpectAsync(1, "run", "--config", config, "--listen", $"127.0.0.1:{port}", "--state-dir", temp.Sub("state"));
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
    }

    private static double Seconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>The value of the sample with exactly this name and labels, or -1 when absent.</summary>
    private static double Value(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? -1 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> PollAsync(string url, Func<string, bool> condition, Process daemon, List<string> stderr)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
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
}
