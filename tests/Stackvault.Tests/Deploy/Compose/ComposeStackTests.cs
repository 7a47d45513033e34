using Stackvault.Configuration;
using Stackvault.Tests.Configuration;
using Stackvault.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Stackvault.Tests.Deploy.Compose;

/// <summary>
/// deploy/compose: no Docker engine runs here, so the compose file is checked against the Compose Specification
/// schema and for what Stackvault relies on: its config validates, its command is the real CLI's, every repository and component path is mounted into the stackvault service, the containers of
/// each job's stop_containers group carry the label, and the tiers and metrics port are wired.
/// </summary>
public class ComposeStackTests
{
    private static string Directory => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "compose");

    [Fact]
    public void Compose_StackvaultServiceMountsEveryPathItsConfigUses()
    {
        var (config, problems) = ConfigLoader.Load(Path.Combine(Directory, "stackvault.yaml"), ConfigSamples.NoEnvironment);
        Assert.True(config is not null, string.Join("\n", problems));
        var services = Services();
        var stackvault = (YamlMappingNode)services["stackvault"];
        var mounts = ((YamlSequenceNode)stackvault["volumes"]).Select(v => Target(((YamlScalarNode)v).Value!)).ToList();

        var paths = config.Repositories.Values.Select(r => r.Url).Where(u => u.StartsWith('/'))
            .Concat(config.Components.Values.OfType<FilesComponent>().SelectMany(f => f.Paths))
            .Concat(config.Components.Values.OfType<PrometheusComponent>().Select(p => p.DataDir))
            .Concat(config.Components.Values.OfType<GrafanaComponent>().Select(g => Path.GetDirectoryName(g.Database)!));
        Assert.All(paths, path => Assert.Contains(mounts, m => path == m || path.StartsWith(m + "/", StringComparison.Ordinal)));
        Assert.Contains("/etc/stackvault/stackvault.yaml", mounts);
        Assert.Contains("/var/run/docker.sock", mounts);
        Assert.Equal("true", ((YamlScalarNode)stackvault["read_only"]).Value);
        Assert.Contains("9464:9464", ((YamlSequenceNode)stackvault["ports"]).Select(p => ((YamlScalarNode)p).Value));
    }

    [Fact]
    public void Compose_TiersAndJobsAreTheSeedsArchitecture()
    {
        var (config, _) = ConfigLoader.Load(Path.Combine(Directory, "stackvault.yaml"), ConfigSamples.NoEnvironment);
        var volumes = ((YamlSequenceNode)((YamlMappingNode)Services()["stackvault"])["volumes"]).Select(v => ((YamlScalarNode)v).Value!).ToList();

        Assert.Contains(volumes, v => v.StartsWith("backups-hot:/backups/hot", StringComparison.Ordinal)); // a named volume
        Assert.Contains(volumes, v => v.StartsWith("${WARM_TIER_PATH", StringComparison.Ordinal) && v.EndsWith(":/backups/warm", StringComparison.Ordinal)); // a bind mount
        Assert.StartsWith("s3://", config!.Repositories["cold"].Url, StringComparison.Ordinal);
        Assert.Equal(("0 2 * * *", TimeSpan.FromDays(30)), (config.Jobs["critical"].Schedule!.Expression, config.Jobs["critical"].Retention!.KeepWithin!.Value));
        Assert.Equal(("0 3 * * 0", TimeSpan.FromDays(14)), (config.Jobs["bulk"].Schedule!.Expression, config.Jobs["bulk"].Retention!.KeepWithin!.Value));
        Assert.Equal(["warm", "cold"], config.Jobs["critical"].CopyTo);
    }

    [Fact]
    public void Compose_StopGroupOfTheBulkJobIsLabelledOnItsContainers()
    {
        var (config, _) = ConfigLoader.Load(Path.Combine(Directory, "stackvault.yaml"), ConfigSamples.NoEnvironment);
        var stop = Assert.IsType<DockerLabelHook>(config!.Jobs["bulk"].Hooks.Pre[0]);

        var labelled = Services().Children
            .Where(s => ((YamlMappingNode)s.Value).Children.TryGetValue(new YamlScalarNode("labels"), out var labels)
                && ((YamlMappingNode)labels).Children.TryGetValue(new YamlScalarNode(DockerLabelHook.StopLabel), out var group)
                && ((YamlScalarNode)group).Value == stop.Group)
            .Select(s => ((YamlScalarNode)s.Key).Value)
            .ToList();

        Assert.Equal(["loki", "tempo"], labelled);
    }

    /// <summary>
    /// The Prometheus component deletes the snapshot it asked for (snapshots/NAME, in Prometheus's directories, uid
    /// 65534): its volume is mounted read-write and the service may unlink there, with no other root power.
    /// </summary>
    [Fact]
    public void Compose_StackvaultService_CanDeletePrometheusSnapshotsWithOnlyTheFileCapabilities()
    {
        var (config, _) = ConfigLoader.Load(Path.Combine(Directory, "stackvault.yaml"), ConfigSamples.NoEnvironment);
        var stackvault = (YamlMappingNode)Services()["stackvault"];
        var volumes = ((YamlSequenceNode)stackvault["volumes"]).Select(v => ((YamlScalarNode)v).Value!).ToList();
        List<string> Strings(string key) => [.. ((YamlSequenceNode)stackvault[key]).Select(v => ((YamlScalarNode)v).Value!)];

        foreach (var prometheus in config!.Components.Values.OfType<PrometheusComponent>())
        {
            var mount = Assert.Single(volumes, v => Target(v) == prometheus.DataDir);
            Assert.False(mount.EndsWith(":ro", StringComparison.Ordinal), mount);
        }

        Assert.Equal("0:0", ((YamlScalarNode)stackvault["user"]).Value);
        Assert.Equal(["ALL"], Strings("cap_drop"));
        Assert.Equal(["CHOWN", "DAC_OVERRIDE", "FOWNER"], Strings("cap_add"));
        Assert.Equal(["no-new-privileges:true"], Strings("security_opt"));
    }

    /// <summary>
    /// The stackvault service's command is the image's CMD and goes through the real CLI's parser (stopping only at
    /// the missing config, not at an unknown option); the config it mounts passes the real `config validate`.
    /// </summary>
    [Fact]
    public async Task Compose_StackvaultCommand_IsTheImagesCmdAndTheRealCliAcceptsItAndItsConfig()
    {
        using var temp = new TempDirectory();
        var stackvault = (YamlMappingNode)Services()["stackvault"];
        var command = ((YamlSequenceNode)stackvault["command"]).Select(c => ((YamlScalarNode)c).Value!).ToList();
        var dockerfile = File.ReadAllLines(Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "docker", "Dockerfile"));
        var cmd = System.Text.Json.JsonSerializer.Deserialize<List<string>>(dockerfile.Single(l => l.StartsWith("CMD ", StringComparison.Ordinal))[4..]);
        Assert.Equal(cmd, command);
        Assert.Equal("0.0.0.0:9464", command[command.IndexOf("--listen") + 1]);
        var cli = new CliRunner(temp.Sub("no-repo"));

        var run = await cli.ExpectAsync(2, [.. command.Select(a => a == "/etc/stackvault/stackvault.yaml" ? temp.Sub("missing.yaml") : a == "/var/lib/stackvault" ? temp.Sub("state") : a)]);
        var validate = await cli.RunOkAsync("config", "validate", "--config", Path.Combine(Directory, "stackvault.yaml"));

        Assert.Contains("config file not found", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("config ok: 3 repositories, 4 components, 2 jobs", validate.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The container path of a short volume syntax <c>SOURCE:TARGET[:ro]</c> (SOURCE may hold <c>${X:-default}</c>).</summary>
    private static string Target(string volume)
    {
        var parts = volume.Split(':');
        return parts[^1] is "ro" or "rw" ? parts[^2] : parts[^1];
    }

    private static YamlMappingNode Services()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Directory, "compose.yaml"))));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }
}
