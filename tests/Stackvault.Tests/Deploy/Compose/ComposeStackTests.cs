using Stackvault.Configuration;
using Stackvault.Tests.Configuration;
using Stackvault.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Stackvault.Tests.Deploy.Compose;

/// <summary>
/// deploy/compose: no Docker engine runs here, so the compose file is checked for what Stackvault relies on: its
/// config validates, every repository and component path is mounted into the stackvault service, the containers of
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
        Assert.Equal("10001:10001", ((YamlScalarNode)stackvault["user"]).Value);
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
