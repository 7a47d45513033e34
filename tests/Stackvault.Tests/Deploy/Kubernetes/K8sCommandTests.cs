using System.Text.Json;
using Stackvault.Deploy.Kubernetes;
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

    /// <summary>
    /// The generated pods' command lines go through the real CLI's parser: each gets past it and stops only at the
    /// missing config or repository (a renamed or dropped option would be a parse error instead).
    /// </summary>
    [Fact]
    public async Task Manifests_PodCommandLines_AreAcceptedByTheRealCli()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("no-repo"));
        var (config, options) = ManifestSamples.Sample();
        var objects = ManifestGenerator.Generate(config, options);
        var missingConfig = temp.Sub("missing.yaml");
        List<string> Args(GeneratedObject o, string path) => ((List<object?>)ManifestSamples.At(o, path)!).Cast<string>()
            .Select(a => a == ManifestGenerator.ConfigPath ? missingConfig : a == ManifestGenerator.StateDirectory ? temp.Sub("state") : a).ToList();

        var daemon = await cli.ExpectAsync(2, [.. Args(objects.Single(o => o.Kind == "Deployment"), "spec.template.spec.containers.0.args")]);
        var cron = await cli.ExpectAsync(2, [.. Args(objects.Single(o => o.Name == "stackvault-bulk"), "spec.jobTemplate.spec.template.spec.containers.0.args")]);
        var bucketCommand = Args(objects.Single(o => o.Kind == "Job"), "spec.template.spec.containers.0.command");
        File.WriteAllText(temp.Sub("password"), "x");
        var bucketArgs = bucketCommand.Skip(5) // sh -c SCRIPT $0 SHARDS
            .Select(a => a == "s3://observability-backups/stackvault" ? temp.Sub("no-repo") : a.StartsWith(ManifestGenerator.SecretsDirectory, StringComparison.Ordinal) ? temp.Sub("password") : a)
            .Append("--shard").Append("0/" + bucketCommand[4]);
        var bucket = await cli.ExpectAsync(10, [.. bucketArgs]);

        Assert.Contains("config file not found", daemon.Stderr, StringComparison.Ordinal);
        Assert.Contains("config file not found", cron.Stderr, StringComparison.Ordinal);
        Assert.Contains("repository not found", bucket.Stderr, StringComparison.Ordinal);
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
