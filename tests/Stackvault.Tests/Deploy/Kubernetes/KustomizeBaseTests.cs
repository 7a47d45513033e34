using Stackvault.Deploy.Kubernetes;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>deploy/kubernetes/base: generated from deploy/kubernetes/stackvault.yaml, current, renders and validates.</summary>
public class KustomizeBaseTests
{
    private static string Base => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "kubernetes", "base");

    [Fact]
    public async Task KubectlKustomize_Base_RendersAndEveryObjectPassesTheKubernetesSchemas()
    {
        using var temp = new TempDirectory();
        var (exit, stdout, stderr) = await SchemaValidator.RunAsync("kubectl", ["kustomize", Base]);
        Assert.True(exit == 0, "kubectl kustomize failed: " + stderr);
        var rendered = temp.Sub("rendered.yaml");
        File.WriteAllText(rendered, stdout);

        var validated = await SchemaValidator.ValidateAsync(rendered);

        Assert.Contains(("CronJob", "stackvault-critical"), validated);
        Assert.Contains(("Deployment", "stackvault"), validated);
        Assert.Contains(("Role", "stackvault"), validated);
        Assert.Equal(Directory.GetFiles(Base, "*.yaml").Length - 1, validated.Count); // every file but kustomization.yaml
    }

    [Fact]
    public void Base_IsWhatTheGeneratorMakesFromTheSampleConfig()
    {
        var text = File.ReadAllText(ManifestSamples.SampleConfigPath);
        var objects = ManifestGenerator.Generate(ManifestSamples.Load(text), new ManifestOptions { ConfigText = text });

        foreach (var generated in objects)
        {
            var path = Path.Combine(Base, generated.FileName);
            Assert.True(File.Exists(path), $"{generated.FileName} missing: run ./stackvault k8s manifests --config deploy/kubernetes/stackvault.yaml -o deploy/kubernetes/base");
            Assert.Equal(ManifestWriter.Header + ManifestWriter.ToYaml(generated), File.ReadAllText(path));
        }
    }
}
