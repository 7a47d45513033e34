using Stackvault.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Stackvault.Tests.Deploy.Compose;

/// <summary>The compose stack's Prometheus: its config passes the real promtool, keeps Stackvault's job label, loads the rules.</summary>
public class ComposePrometheusTests
{
    private static string Directory => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "compose");

    [Fact]
    public async Task PrometheusConfig_PassesPromtoolAndScrapesStackvaultWithHonorLabels()
    {
        var file = Path.Combine(Directory, "prometheus.yml");
        var (exit, stdout, stderr) = await Kubernetes.SchemaValidator.RunAsync("promtool", ["check", "config", "--syntax-only", file]);
        Assert.True(exit == 0, stdout + stderr);

        var root = Load(file);
        var job = ((YamlSequenceNode)root["scrape_configs"]).Cast<YamlMappingNode>().Single(j => ((YamlScalarNode)j["job_name"]).Value == "stackvault");

        // the metrics carry the Stackvault job in `job`: without honor_labels Prometheus renames it exported_job,
        // and the alert rules and dashboard (which use job) see only "stackvault"
        Assert.Equal("true", ((YamlScalarNode)job["honor_labels"]).Value);
        var target = ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)job["static_configs"])[0])["targets"])[0]).Value;
        Assert.Equal("stackvault:9464", target);
    }

    [Fact]
    public void PrometheusService_MountsStackvaultsAlertRulesWhereRuleFilesLooks()
    {
        var compose = Load(Path.Combine(Directory, "compose.yaml"));
        var prometheus = (YamlMappingNode)((YamlMappingNode)compose["services"])["prometheus"];
        var mounts = ((YamlSequenceNode)prometheus["volumes"]).Select(v => ((YamlScalarNode)v).Value!.Split(':')).ToList();
        var ruleGlob = ((YamlScalarNode)((YamlSequenceNode)Load(Path.Combine(Directory, "prometheus.yml"))["rule_files"])[0]).Value!;

        var rules = Assert.Single(mounts, m => m[0].EndsWith("stackvault-alerts.yaml", StringComparison.Ordinal));

        Assert.True(File.Exists(Path.GetFullPath(Path.Combine(Directory, rules[0]))), rules[0]);
        Assert.Equal(Path.GetDirectoryName(ruleGlob), Path.GetDirectoryName(rules[1]));
        Assert.EndsWith(Path.GetExtension(ruleGlob), rules[1], StringComparison.Ordinal);
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
