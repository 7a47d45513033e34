using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Configuration;

/// <summary>The keys later issues build on (schedules, retention, hooks, copy_to, verify, drill, more types) parse now.</summary>
public class ConfigFullModelTests
{
    private const string Full = """
        version: 1
        repositories:
          local: { url: /srv/repo, password_command: "pass show stackvault" }
          offsite: { url: "s3://backups/stackvault", password: inline-pw }
        components:
          globals:
            type: command
            command: [pg_dumpall, --globals-only]
            filename: globals.sql
            timeout: 10m
          shell: { type: command, command: "pg_dump app | head", filename: dump/app.sql }
          mimir: { type: bucket, url: "s3://mimir-blocks", layout: mimir }
          k8s: { type: kubernetes, namespace: monitoring, objects: [{ kind: ConfigMap, name: grafana }, { kind: Secret, selector: app=grafana }] }
          grafana:
            type: grafana
            database: /var/lib/grafana/grafana.db
            hooks:
              pre:
                - docker_stop: [grafana, renderer]
                  timeout: 30s
              post:
                - docker_start: [grafana, renderer]
                  on_error: continue
        jobs:
          nightly:
            repository: local
            components: [globals, shell, mimir, k8s, grafana]
            tags: [nightly, db]
            schedule: "30 2 * * *"
            time_zone: UTC
            jitter: 5m
            timeout: 2h
            rpo: 1d
            copy_to: [offsite]
            retention: { keep_last: 3, keep_daily: 7, keep_weekly: 4, keep_monthly: 12, keep_yearly: 0, keep_within: 7d }
            verify: { schedule: "@weekly", read_data_subset: 1/10 }
            drill: { schedule: "@every 720h", timeout: 1h30m }
            hooks:
              pre:
                - http: "http://127.0.0.1:3100/flush"
                  timeout: 1m
                - command: [sync]
        """;

    [Fact]
    public void FullConfig_EveryKeyTyped()
    {
        var (config, problems) = ConfigLoader.LoadFromText(Full, "full.yaml", ConfigSamples.NoEnvironment);
        Assert.Empty(problems);
        Assert.Equal(SecretSourceKind.Command, config!.Repositories["local"].Password!.Kind);
        Assert.Equal("s3://backups/stackvault", config.Repositories["offsite"].Url);

        var globals = Assert.IsType<CommandComponent>(config.Components["globals"]);
        Assert.Equal(CommandSpec.Argv(["pg_dumpall", "--globals-only"]), globals.Command);
        Assert.Equal(("globals.sql", TimeSpan.FromMinutes(10)), (globals.Filename, globals.Timeout));
        var shell = Assert.IsType<CommandComponent>(config.Components["shell"]);
        Assert.True(shell.Command.Shell);
        Assert.Equal(["/bin/sh", "-c", "pg_dump app | head"], shell.Command.Arguments);
        Assert.Equal(("s3://mimir-blocks", "mimir"), (((BucketComponent)config.Components["mimir"]).Url, ((BucketComponent)config.Components["mimir"]).Layout.Name));
        var k8s = Assert.IsType<KubernetesComponent>(config.Components["k8s"]);
        Assert.Equal("monitoring", k8s.Namespace);
        Assert.Equal([new KubernetesObjectRef("ConfigMap", "grafana", null), new KubernetesObjectRef("Secret", null, "app=grafana")], k8s.Objects);

        var hooks = config.Components["grafana"].Hooks;
        var stop = Assert.IsType<DockerHook>(Assert.Single(hooks.Pre));
        Assert.Equal((DockerAction.Stop, TimeSpan.FromSeconds(30), false), (stop.Action, stop.Timeout, stop.ContinueOnError));
        Assert.Equal(["grafana", "renderer"], stop.Containers);
        var start = Assert.IsType<DockerHook>(Assert.Single(hooks.Post));
        Assert.Equal((DockerAction.Start, null, true), (start.Action, start.Timeout, start.ContinueOnError));

        var job = config.Jobs["nightly"];
        Assert.Equal(["nightly", "db"], job.Tags);
        Assert.Equal(new ScheduleConfig("30 2 * * *", null, "UTC"), job.Schedule);
        Assert.Equal((TimeSpan.FromMinutes(5), TimeSpan.FromHours(2), TimeSpan.FromDays(1)), (job.Jitter, job.Timeout, job.Rpo));
        Assert.Equal(["offsite"], job.CopyTo);
        Assert.Equal(new RetentionConfig(3, null, 7, 4, 12, 0, TimeSpan.FromDays(7)), job.Retention);
        Assert.Equal(new CheckConfig(new ScheduleConfig("@weekly", null, "UTC"), "1/10", null), job.Verify);
        Assert.Equal(TimeSpan.FromHours(720), job.Drill!.Schedule.Every);
        Assert.Equal(TimeSpan.FromMinutes(90), job.Drill.Timeout);
        var http = Assert.IsType<HttpHook>(job.Hooks.Pre[0]);
        Assert.Equal((new Uri("http://127.0.0.1:3100/flush"), "POST", TimeSpan.FromMinutes(1)), (http.Url, http.Method, http.Timeout));
        Assert.Equal(CommandSpec.Argv(["sync"]), Assert.IsType<CommandHook>(job.Hooks.Pre[1]).Command);
    }

    [Fact]
    public void FullConfig_ShowOutputLoadsBackToTheSameShow()
    {
        var config = ConfigLoader.LoadFromText(Full, "full.yaml", ConfigSamples.NoEnvironment).Config!;
        var yaml = ConfigDocument.ToYaml(config)
            .Replace("password: '*** (command)'", "password_command: x", StringComparison.Ordinal)
            .Replace("password: '*** (inline)'", "password: y", StringComparison.Ordinal);
        var again = ConfigLoader.LoadFromText(yaml, "again.yaml", ConfigSamples.NoEnvironment);
        Assert.Empty(again.Problems);
        Assert.Equal(ConfigDocument.ToYaml(config), ConfigDocument.ToYaml(again.Config!));
    }

    [Theory]
    [InlineData("30s", 30_000, "30s")]
    [InlineData("1h30m", 5_400_000, "1h30m")]
    [InlineData("90m", 5_400_000, "1h30m")]
    [InlineData("7d", 604_800_000, "7d")]
    [InlineData("2w", 1_209_600_000, "14d")]
    [InlineData("250ms", 250, "250ms")]
    public void Durations_ParseAndFormatBack(string text, long milliseconds, string formatted)
    {
        Assert.True(DurationFormat.TryParse(text, out var duration));
        Assert.Equal(milliseconds, (long)duration.TotalMilliseconds);
        Assert.Equal(formatted, DurationFormat.Format(duration));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1H")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("1 h")]
    [InlineData("h")]
    public void Durations_Malformed_Rejected(string text) => Assert.False(DurationFormat.TryParse(text, out _));

    [Fact]
    public void Discovery_ExplicitThenWorkingDirectoryThenSystem()
    {
        using var temp = new TempDirectory();
        var system = temp.Sub("etc.yaml");
        var error = Assert.ThrowsAny<StackvaultException>(() => ConfigDiscovery.Resolve(null, temp.Path, system));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(error).Code);
        File.WriteAllText(system, "x");
        Assert.Equal(system, ConfigDiscovery.Resolve(null, temp.Path, system));
        File.WriteAllText(temp.Sub("stackvault.yaml"), "x");
        Assert.Equal(temp.Sub("stackvault.yaml"), ConfigDiscovery.Resolve(null, temp.Path, system));
        Assert.Equal(system, ConfigDiscovery.Resolve(system, temp.Path, system));
        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(Assert.ThrowsAny<StackvaultException>(() => ConfigDiscovery.Resolve(temp.Sub("missing.yaml"), temp.Path, system))).Code);
    }

    [Fact]
    public void Aliases_Shared_AndCapped()
    {
        const string yaml = "components:\n  a: &p { type: files, paths: [/x] }\n  b: *p\n";
        Assert.Empty(ConfigLoader.LoadFromText(yaml, "t", ConfigSamples.NoEnvironment).Problems);
        var bomb = "a: &a [x]\n" + string.Concat(Enumerable.Range(0, 1100).Select(i => $"k{i}: *a\n"));
        Assert.Contains("aliases", Assert.Single(ConfigLoader.LoadFromText(bomb, "t", ConfigSamples.NoEnvironment).Problems).Message, StringComparison.Ordinal);
    }
}
