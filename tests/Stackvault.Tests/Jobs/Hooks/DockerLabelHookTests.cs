using Stackvault.Configuration;
using Stackvault.Tests.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Hooks;

/// <summary>Container-aware hooks (labels) through the real CLI, docker calls going to <see cref="DockerLabelStandIn"/>.</summary>
public sealed class DockerLabelHookTests
{
    private const string Inspect = """
        [{"Id":"1a","Name":"/grafana","Config":{"Labels":{"stackvault.stop-during-backup":"critical","stackvault.exec-pre":"grafana cli admin data-migration encrypt-datasource-passwords --dry-run"}}},
         {"Id":"2b","Name":"/prometheus","Config":{"Labels":{"stackvault.group":"critical","stackvault.exec-post":"rm -rf /prometheus/snapshots/*"}}},
         {"Id":"3c","Name":"/renderer","Config":{"Labels":{"stackvault.stop-during-backup":"critical"}}}]
        """;

    private static async Task<(TempDirectory Temp, CliRunner Cli, DockerLabelStandIn Docker, string Config)> SetUpAsync(string command = "[printf, A]")
    {
        var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var docker = new DockerLabelStandIn(temp)
            .On("ps --filter label=stackvault.stop-during-backup=critical", "renderer\ngrafana\n")
            .On("ps --filter label=stackvault.group=critical", "prometheus\n")
            .On("inspect --type container", Inspect);
        docker.Install(cli);
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              a: { type: command, command: {{command}}, filename: a.txt }
            jobs:
              nightly: { repository: main, components: [a], stop_containers: critical }
            """);
        return (temp, cli, docker, config);
    }

    [Fact]
    public async Task StopContainers_ExecPreThenStopsByName_BackupThenStartsInReverseThenExecPost()
    {
        var (temp, cli, docker, config) = await SetUpAsync();
        using var _ = temp;
        cli.Environment["DOCKER_HOST"] = "unix:///run/user/1000/docker.sock";

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--json");

        var actions = docker.Calls.Where(c => !c.StartsWith("ps ", StringComparison.Ordinal) && !c.StartsWith("inspect ", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["exec grafana sh -c grafana cli admin data-migration encrypt-datasource-passwords --dry-run",
             "stop grafana", "stop renderer", "start renderer", "start grafana",
             "exec prometheus sh -c rm -rf /prometheus/snapshots/*"],
            actions);
        Assert.Contains("inspect --type container grafana prometheus renderer", docker.Calls);
        Assert.All(File.ReadAllLines(docker.DockerHostLogPath), h => Assert.Equal("unix:///run/user/1000/docker.sock", h));
    }

    [Fact]
    public async Task SecondStopFails_NothingBackedUp_TheStoppedOnesAreStartedAgain()
    {
        var (temp, cli, docker, config) = await SetUpAsync();
        using var _ = temp;
        docker.On("stop renderer", exit: 1, stderr: "Error response from daemon: cannot stop container: renderer");

        var result = await cli.ExpectAsync(1, "backup", "--job", "nightly", "--config", config);

        Assert.Contains("cannot stop container: renderer", result.Stderr, StringComparison.Ordinal);
        var actions = docker.Calls.Where(c => c.StartsWith("stop", StringComparison.Ordinal) || c.StartsWith("start", StringComparison.Ordinal)).ToList();
        Assert.Equal(["stop grafana", "stop renderer", "start renderer", "start grafana"], actions);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    [Fact]
    public async Task ComponentFails_ContainersStillStarted_Exit3()
    {
        var (temp, cli, docker, config) = await SetUpAsync("[sh, -c, 'exit 9']");
        using var _ = temp;

        await cli.ExpectAsync(3, "backup", "--job", "nightly", "--config", config);

        Assert.Equal(["start renderer", "start grafana"], docker.Calls.Where(c => c.StartsWith("start", StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_LabelHookKindsAndJobKey_ReadAsHooks()
    {
        var yaml = """
            repositories: { local: { url: /srv/repo, password_file: /etc/pw } }
            components:
              f: { type: files, paths: [/etc], hooks: { pre: [{ docker_label_stop: tempo-loki }], post: [{ docker_label_start: tempo-loki, on_error: continue }] } }
            jobs:
              j: { repository: local, components: [f], stop_containers: critical, hooks: { post: [{ http: "http://127.0.0.1:1/x" }] } }
            """;

        var (config, problems) = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment);

        Assert.True(config is not null, string.Join("\n", problems));
        Assert.Equal(new DockerLabelHook(3, null, false, DockerAction.Stop, "tempo-loki"), Assert.Single(config.Components["f"].Hooks.Pre));
        Assert.Equal(new DockerLabelHook(3, null, true, DockerAction.Start, "tempo-loki"), Assert.Single(config.Components["f"].Hooks.Post));
        var job = config.Jobs["j"].Hooks;
        Assert.Equal(DockerAction.Stop, Assert.IsType<DockerLabelHook>(Assert.Single(job.Pre)).Action);
        Assert.IsType<HttpHook>(job.Post[0]);
        Assert.Equal(("critical", DockerAction.Start), (((DockerLabelHook)job.Post[1]).Group, ((DockerLabelHook)job.Post[1]).Action));
    }
}
