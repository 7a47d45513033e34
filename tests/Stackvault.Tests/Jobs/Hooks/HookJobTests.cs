using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Stackvault.Repository.Model;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Hooks;

/// <summary>Job and component hooks through the real CLI, docker calls going to <see cref="DockerStandIn"/>.</summary>
public sealed class HookJobTests
{
    private static async Task<(TempDirectory Temp, CliRunner Cli, DockerStandIn Docker)> SetUpAsync()
    {
        var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var docker = new DockerStandIn(temp);
        docker.Install(cli);
        return (temp, cli, docker);
    }

    [Fact]
    public async Task Order_JobPre_ComponentPre_ThenComponentPostLastFirst_ThenJobPost()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a:
                type: command
                command: [printf, A]
                filename: a.txt
                hooks: { pre: [{ docker_stop: [a1, a2] }], post: [{ docker_start: [a1] }, { docker_start: [a2] }] }
              b:
                type: command
                command: [printf, B]
                filename: b.txt
                hooks: { pre: [{ docker_stop: [b] }], post: [{ docker_start: [b] }] }
            jobs:
              nightly:
                repository: main
                components: [a, b]
                hooks: { pre: [{ docker_stop: [j] }], post: [{ docker_start: [j] }] }
            """);

        cli.Environment["DOCKER_HOST"] = "tcp://127.0.0.1:2375";
        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--json");

        Assert.Equal(["stop j", "stop a1 a2", "stop b", "start b", "start a1", "start a2", "start j"], docker.Calls);
        Assert.Equal(Enumerable.Repeat("tcp://127.0.0.1:2375", 7), File.ReadAllLines(docker.DockerHostLogPath));
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var a = JobManifests.Section(snapshot, "a");
        Assert.Equal(ComponentStatus.Complete, a.Status);
        Assert.Equal(1, a.Checks!["hooks.pre.ok"]);
        Assert.Equal(0, a.Checks!["hooks.pre.failed"]);
    }

    [Fact]
    public async Task FailingComponentPreHook_ComponentNotBackedUp_PostHooksStillRun_Exit3()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a:
                type: command
                command: [printf, A]
                filename: a.txt
                hooks: { pre: [{ command: [sh, -c, "echo nope >&2; exit 7", secret-arg] }, { docker_stop: [never] }], post: [{ docker_start: [a] }] }
              b: { type: command, command: [printf, B], filename: b.txt, hooks: { post: [{ docker_start: [b] }] } }
            jobs:
              nightly: { repository: main, components: [a, b], hooks: { post: [{ docker_start: [j] }] } }
            """);

        var result = await cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        Assert.Equal(["start b", "start a", "start j"], docker.Calls);
        var components = result.Message("summary").GetProperty("components").EnumerateArray().ToList();
        Assert.Equal(["failed", "complete"], components.Select(c => c.GetProperty("status").GetString()));
        Assert.Equal("pre hook failed: sh exited with code 7: nope", components[0].GetProperty("error").GetString());
        Assert.DoesNotContain("secret-arg", result.Stdout + result.Stderr);
        Assert.Contains("a: pre hook: sh exited with code 7: nope", result.Stdout);
    }

    [Fact]
    public async Task FailingJobPreHook_NothingBackedUp_Exit1_AllPostHooksRun()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a: { type: command, command: [printf, A], filename: a.txt, hooks: { pre: [{ docker_stop: [a] }], post: [{ docker_start: [a] }] } }
            jobs:
              nightly: { repository: main, components: [a], hooks: { pre: [{ command: "exit 2" }], post: [{ docker_start: [j] }] } }
            """);

        var result = await cli.ExpectAsync(1, "backup", "--job", "nightly", "--config", config);

        Assert.Equal(["start a", "start j"], docker.Calls);
        Assert.Contains("a pre hook failed, nothing backed up: sh exited with code 2", result.Stderr);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    [Fact]
    public async Task BackupFails_AllComponentsFailed_PostHooksStillRun()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a: { type: postgres, dsn: "host=x", hooks: { pre: [{ docker_stop: [a] }], post: [{ docker_start: [a] }] } }
            jobs:
              nightly: { repository: main, components: [a], hooks: { post: [{ docker_start: [j] }] } }
            """);

        var result = await cli.ExpectAsync(1, "backup", "--job", "nightly", "--config", config);

        Assert.Contains("no component could be prepared", result.Stderr);
        Assert.Equal(["stop a", "start a", "start j"], docker.Calls);
    }

    [Fact]
    public async Task OnErrorContinue_IsAWarning_ComponentStillBackedUp()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a:
                type: command
                command: [printf, A]
                filename: a.txt
                hooks: { pre: [{ command: [false], on_error: continue }, { docker_stop: [a] }] }
            jobs:
              nightly: { repository: main, components: [a] }
            """);

        var result = await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--json");

        Assert.Equal(["stop a"], docker.Calls);
        Assert.Contains("a: pre hook: false exited with code 1 (on_error: continue)", result.Stdout);
        var a = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "a");
        Assert.Equal((ComponentStatus.Complete, 1L, 1L), (a.Status, a.Checks!["hooks.pre.ok"], a.Checks!["hooks.pre.failed"]));
    }

    [Fact]
    public async Task Timeout_StopsTheHookQuickly_WithAClearMessage()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              a: { type: command, command: [printf, A], filename: a.txt, hooks: { pre: [{ command: "sleep 600", timeout: 1s }] } }
              b: { type: command, command: [printf, B], filename: b.txt }
            jobs:
              nightly: { repository: main, components: [a, b] }
            """);

        // No clock: a hook left running for its 10 minutes would outlast the runner's 5-minute limit and fail the test.
        var result = await cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        var a = result.Message("summary").GetProperty("components")[0];
        Assert.Equal("pre hook failed: sh -c did not finish within 1s and was stopped", a.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Interrupted_PostHooksRun_Exit130()
    {
        var (temp, cli, docker) = await SetUpAsync();
        using var _ = temp;
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              slow: { type: command, command: [sleep, 300], filename: slow.txt, hooks: { pre: [{ docker_stop: [s] }], post: [{ docker_start: [s] }] } }
            jobs:
              nightly: { repository: main, components: [slow], hooks: { post: [{ docker_start: [j] }] } }
            """);

        using var process = cli.Start("backup", "--job", "nightly", "--config", config);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        // The interrupt lands while the command runs: its `sleep` is a child of the CLI.
        var clock = Stopwatch.StartNew();
        int? sleep = null;
        while (sleep is null && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(50);
            sleep = Signals.Children(process.Id).FirstOrDefault(child => File.Exists($"/proc/{child}/cmdline")
                && File.ReadAllText($"/proc/{child}/cmdline").StartsWith("sleep\0", StringComparison.Ordinal)) is var id and > 0 ? id : null;
        }

        Assert.True(sleep is not null, $"the command never started: {Signals.Describe(process.Id)}; docker calls [{string.Join(", ", docker.Calls)}]");
        Assert.Contains("stop s", docker.Calls);
        var before = Signals.Describe(process.Id);
        Assert.True(Signals.TrySend(process, Signals.Interrupt), "the backup (a 300 s command) ended before the interrupt");

        // A hang guard, not a timing: the post hooks launch stand-in processes, slow on a loaded machine; a command
        // left running after the interrupt would hold the backup for the rest of its 300 s and trip it.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"no exit 90 s after the interrupt. Before it: {before}. Now: {Signals.Describe(process.Id)}; docker calls [{string.Join(", ", docker.Calls)}]");
        }

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await stderr}");
        Assert.False(Signals.IsRunning(sleep.Value), $"the command (pid {sleep}) still runs after the backup was interrupted");
        Assert.Equal(["stop s", "start s", "start j"], docker.Calls);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
        await stdout;
    }

    [Fact]
    public async Task HttpHooks_MethodAndPath_ErrorsShowNoQueryString()
    {
        var (temp, cli, _) = await SetUpAsync();
        using var __ = temp;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = new List<string>();
        var server = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                lock (seen)
                {
                    seen.Add($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}");
                }

                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/fail" ? 500 : 200;
                context.Response.Close();
            }
        });

        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              a: { type: command, command: [printf, A], filename: a.txt, hooks: { pre: [{ http: "http://127.0.0.1:{{port}}/start", method: GET }] } }
            jobs:
              nightly:
                repository: main
                components: [a]
                hooks: { post: [{ http: "http://127.0.0.1:{{port}}/fail?token=hush" }, { http: "http://127.0.0.1:{{port}}/done" }] }
            """);

        var result = await cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--json");

        listener.Stop();
        await server;
        Assert.Equal(["GET /start", "POST /fail", "POST /done"], seen);
        Assert.Contains($"job nightly: post hook: POST http://127.0.0.1:{port}/fail returned 500", result.Stdout);
        Assert.DoesNotContain("hush", result.Stdout + result.Stderr);
    }
}
