using System.Diagnostics;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Notifications;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Daemon;

/// <summary>
/// <c>stackvault run</c>: a scheduled verify that finds the repository damaged is notified like a failed backup
/// (before, it only changed a metric), and a passing verify sends nothing.
/// </summary>
public sealed class DaemonCheckNotifyCliTests
{
    [Fact]
    public async Task Run_ScheduledVerifyFindsDamage_NotifiesFailure()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var data = temp.Sub("data");
        Directory.CreateDirectory(data);
        File.WriteAllBytes(Path.Combine(data, "a.bin"), [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7))]);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              data: { type: files, paths: [{{data}}] }
            jobs:
              checked: { repository: main, components: [data], verify: { schedule: "@every 2s", read_data_subset: 1/1 } }
            notifications:
              hook: { url: "generic+{{receiver.BaseUrl}}/hook" }
            """);
        await cli.RunOkAsync("backup", "--job", "checked", "--config", config, "--state-dir", temp.Sub("state"), "-q");
        Assert.Empty(receiver.Requests); // a success is not sent by default
        foreach (var pack in RepositoryFiles.Objects(temp.Sub("repo"), "data"))
        {
            RepositoryFiles.FlipByte(pack, new FileInfo(pack).Length / 2);
        }

        var port = LocalServer.FreePort();
        var stderr = new List<string>();
        using var daemon = cli.Start("run", "--config", config, "--listen", $"127.0.0.1:{port}", "--state-dir", temp.Sub("state"));
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Add(e.Data); } } };
        daemon.OutputDataReceived += (_, _) => { };
        daemon.BeginErrorReadLine();
        daemon.BeginOutputReadLine();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (receiver.Requests.IsEmpty && DateTime.UtcNow < deadline && !daemon.HasExited)
            {
                await Task.Delay(200);
            }
        }
        finally
        {
            Signals.TrySend(daemon, Signals.Terminate);

            await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        string log;
        lock (stderr)
        {
            log = string.Join('\n', stderr);
        }

        Assert.True(daemon.ExitCode == 0, log);
        Assert.True(receiver.Requests.TryPeek(out var first), "no notification; log:\n" + log);
        Assert.Equal("checked", first.Json.GetProperty("job").GetString());
        Assert.Equal("failure", first.Json.GetProperty("status").GetString());
        Assert.StartsWith("scheduled verify failed: ", first.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("kind=verify status=failed", log, StringComparison.Ordinal);
    }
}
