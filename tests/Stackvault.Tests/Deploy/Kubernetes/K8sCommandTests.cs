using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary><c>stackvault k8s manifests</c> through the real CLI.</summary>
public class K8sCommandTests
{
    [Fact]
    public async Task Manifests_OutputDirectory_WritesFilesKustomizeRendersAndTheSchemasAccept()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        File.WriteAllText(temp.Sub("dashboard.json"), ManifestSamples.DashboardStandIn);
        File.WriteAllText(temp.Sub("alerts.yaml"), ManifestSamples.RulesStandIn);
        var output = temp.Sub("out");

        var result = await cli.RunOkAsync("k8s", "manifests", "--config", ManifestSamples.SampleConfigPath, "--namespace", "backup", "--image", "registry.local/stackvault:1.0",
            "--dashboard", temp.Sub("dashboard.json"), "--rules", temp.Sub("alerts.yaml"), "-o", output, "--json");

        var files = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("configmap-dashboard.yaml", files);
        Assert.Contains("prometheusrule.yaml", files);
        var (exit, rendered, stderr) = await SchemaValidator.RunAsync("kubectl", ["kustomize", output]);
        Assert.True(exit == 0, stderr);
        Assert.Contains("image: registry.local/stackvault:1.0", rendered, StringComparison.Ordinal);
        Assert.Contains("namespace: backup", rendered, StringComparison.Ordinal);
        File.WriteAllText(temp.Sub("rendered.yaml"), rendered);
        var validated = await SchemaValidator.ValidateAsync(temp.Sub("rendered.yaml"));
        Assert.Equal(files.Count - 1, validated.Count);
    }

    [Fact]
    public async Task Manifests_InvalidConfig_Exit2WithTheProblem()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        File.WriteAllText(temp.Sub("bad.yaml"), "repositories: { r: { url: /srv/r, password_file: /p } }\ncomponents: { k: { type: kubernetes, objects: [{ kind: ConfigMap, name: x }] } }\njobs: { j: { repository: r, components: [k] } }\n");

        var result = await cli.ExpectAsync(2, "k8s", "manifests", "--config", temp.Sub("bad.yaml"));

        Assert.Contains("components.k.namespace", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validator_BrokenManifest_IsRejected()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Sub("bad.yaml"), "apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: x }\nspec: { schedule: 5, jobTemplate: { spec: { template: { spec: { containers: [] } } } } }\n---\napiVersion: v1\nkind: Nonsense\nmetadata: { name: y }\n");

        var (exit, stdout, _) = await SchemaValidator.RunAsync("node", [Path.Combine(S3rverFixture.RepositoryRoot, "tests", "k8s-validate", "validate.mjs"), SchemaValidator.NodeModules, temp.Sub("bad.yaml")]);

        Assert.Equal(1, exit);
        Assert.Contains("schedule must be string", stdout, StringComparison.Ordinal);
        Assert.Contains("no schema for v1 Nonsense", stdout, StringComparison.Ordinal);
    }
}
