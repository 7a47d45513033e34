using Stackvault.Configuration;

namespace Stackvault.Tests.Configuration;

/// <summary>The keys live restores read: <c>restore_hooks: { stop, start }</c> on any component, <c>retention</c> on Prometheus.</summary>
public sealed class RestoreHooksConfigTests
{
    private const string Base = """
        repositories:
          main: { url: /srv/repo, password: pw }
        """;

    [Fact]
    public void RestoreHooks_StopAndStart_AreRead_PrometheusRetentionToo()
    {
        var (config, problems) = ConfigLoader.LoadFromText(Base + """

            components:
              prom:
                type: prometheus
                url: "http://127.0.0.1:9090"
                data_dir: /prometheus
                retention: 30d
                restore_hooks:
                  stop: [{ docker_stop: [prometheus] }]
                  start: [{ docker_start: [prometheus] }, { http: "http://127.0.0.1:9090/-/reload", timeout: 10s }]
            """, "t.yaml", ConfigSamples.NoEnvironment);

        Assert.Empty(problems);
        var prom = Assert.IsType<PrometheusComponent>(config!.Components["prom"]);
        Assert.Equal(TimeSpan.FromDays(30), prom.Retention);
        Assert.Equal(DockerAction.Stop, Assert.IsType<DockerHook>(Assert.Single(prom.RestoreHooks.Pre)).Action);
        Assert.Equal(2, prom.RestoreHooks.Post.Count);
        Assert.True(prom.Hooks.IsEmpty);
    }

    [Fact]
    public void RestoreHooks_UnknownKeyOrBadHook_AreProblems_NoRestoreHooksMeansNone()
    {
        var (_, problems) = ConfigLoader.LoadFromText(Base + """

            components:
              etc:
                type: files
                paths: [/etc/x]
                restore_hooks:
                  pre: [{ command: [true] }]
                  start: [{ nothing: 1 }]
            """, "t.yaml", ConfigSamples.NoEnvironment);
        var (config, none) = ConfigLoader.LoadFromText(Base + """

            components:
              etc: { type: files, paths: [/etc/x] }
            """, "t.yaml", ConfigSamples.NoEnvironment);

        Assert.Contains(problems, p => p.YamlPath == "components.etc.restore_hooks.pre" && p.Message.Contains("unknown key", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.YamlPath == "components.etc.restore_hooks.start[0]" && p.Message.Contains("a hook needs one of", StringComparison.Ordinal));
        Assert.Empty(none);
        Assert.Same(HookSet.None, config!.Components["etc"].RestoreHooks);
    }
}
