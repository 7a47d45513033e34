using Stackvault.Components.Kubernetes;
using Stackvault.Errors;
using Stackvault.Tests.Crypto;
using Stackvault.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>The kubernetes adapter against the kubectl stand-in: what it asks kubectl, and what it stores.</summary>
public class KubernetesAdapterTests
{
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task PrepareAsync_ObjectsByNameAndSelector_StoresYamlWithoutClusterOwnedFields()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("get configmaps loki -o json", KubernetesFixtures.ConfigMap)
            .On("get statefulsets.apps -l app.kubernetes.io/name=loki -o json", KubernetesFixtures.StatefulSets);
        var component = KubernetesFixtures.Component("""
            type: kubernetes
            namespace: monitoring
            context: prod
            kubeconfig: /etc/kube/config
            objects:
              - { kind: ConfigMap, name: loki }
              - { kind: StatefulSet, selector: app.kubernetes.io/name=loki }
            """);
        var scratch = Directory.CreateDirectory(temp.Sub("scratch")).FullName;

        var plan = await new KubernetesAdapter(true, Clock, kubectl.Program).PrepareAsync(component, scratch, CancellationToken.None);

        Assert.All(kubectl.Calls, call => Assert.StartsWith("--kubeconfig=/etc/kube/config --context=prod --namespace=monitoring get ", call));
        Assert.Equal(2, plan.Section.Checks!["objects"]);
        Assert.Contains(plan.Sources, s => s.SnapshotPath == "/k8s/objects");
        var configMap = File.ReadAllText(Path.Combine(scratch, "objects", "configmap", "loki.yaml"));
        foreach (var owned in new[] { "uid", "resourceVersion", "managedFields", "creationTimestamp", "last-applied-configuration", "status" })
        {
            Assert.DoesNotContain(owned, configMap, StringComparison.Ordinal);
        }

        var root = (YamlMappingNode)Load(configMap);
        var data = (YamlMappingNode)root["data"];
        Assert.Equal("auth_enabled: false\nserver:\n  http_listen_port: 3100\n", ((YamlScalarNode)data["config.yaml"]).Value);
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)data["flag"]).Style); // "true" stays a string
        Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)data["port"]).Style); // "0123" stays a string
        Assert.Equal("loki", ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)root["metadata"])["annotations"])["meta.helm.sh/release-name"]).Value);
        var statefulSet = File.ReadAllText(Path.Combine(scratch, "objects", "statefulset", "loki.yaml"));
        Assert.DoesNotContain("readyReplicas", statefulSet, StringComparison.Ordinal);
        Assert.DoesNotContain("generation", statefulSet, StringComparison.Ordinal);
        Assert.Contains("replicas: 3", statefulSet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_SecretIntoUnencryptedRepository_RefusesWithoutCallingKubectl()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp);
        var component = KubernetesFixtures.Component("type: kubernetes\nnamespace: monitoring\nobjects: [{ kind: Secret, name: loki-s3 }]");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(async () =>
            await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(component, temp.Path, CancellationToken.None));

        Assert.Contains("encrypted repository", error.Message, StringComparison.Ordinal);
        Assert.Empty(kubectl.Calls);
    }

    [Fact]
    public async Task PrepareAsync_PodData_StreamsTheExecTarIntoOneFile()
    {
        using var temp = new TempDirectory();
        var data = Directory.CreateDirectory(temp.Sub("pod-fs")).FullName;
        File.WriteAllText(Path.Combine(data, "chunk-1"), "log line\n");
        var archive = KubernetesFixtures.Tar(data);
        var kubectl = new KubectlStandIn(temp)
            .On("get pods -l app.kubernetes.io/name=loki -o json", KubernetesFixtures.Pods)
            .On("exec loki-1 -c loki -- tar cf - -C /var/loki .", stdoutBytes: archive);
        var component = KubernetesFixtures.Component("type: kubernetes\nnamespace: monitoring\npod_data: [{ selector: app.kubernetes.io/name=loki, container: loki, path: /var/loki/ }]");
        Directory.CreateDirectory(temp.Sub("s"));

        var plan = await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(component, temp.Sub("s"), CancellationToken.None);
        var source = Assert.Single(plan.Sources, s => s.SnapshotPath == "/k8s/pod-data/0.tar");
        Assert.Equal(-1, kubectl.IndexOf("exec")); // the stream starts only when the backup reads it
        await using var stream = await source.OpenStream!(CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);

        Assert.Equal(archive, copy.ToArray()); // loki-1: the first Running and Ready pod by name (loki-0 is not Ready)
        Assert.Contains("\"pod\":\"loki-1\"", File.ReadAllText(Path.Combine(temp.Sub("s"), "component.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_ExecFails_TheStreamFailsWithKubectlsFirstErrorLine()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp).On("exec loki-0", exit: 1, stderr: "error: unable to upgrade connection: container not found (\"loki\")");
        var component = KubernetesFixtures.Component("type: kubernetes\nnamespace: monitoring\npod_data: [{ pod: loki-0, container: loki, path: /var/loki }]");
        Directory.CreateDirectory(temp.Sub("s"));
        var plan = await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(component, temp.Sub("s"), CancellationToken.None);

        await using var stream = await plan.Sources.Single(s => s.OpenStream is not null).OpenStream!(CancellationToken.None);
        var error = await Assert.ThrowsAsync<IOException>(() => stream.CopyToAsync(Stream.Null));

        Assert.Contains("kubectl exec exited with code 1: error: unable to upgrade connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareAsync_NoReadyPodForSelector_FailsNamingTheSelector()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp).On("get pods", """{"kind":"List","items":[]}""");
        var component = KubernetesFixtures.Component("type: kubernetes\nnamespace: monitoring\npod_data: [{ selector: app=tempo, path: /var/tempo }]");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(async () =>
            await new KubernetesAdapter(false, Clock, kubectl.Program).PrepareAsync(component, temp.Path, CancellationToken.None));

        Assert.Contains("no Running and Ready pod matches -l app=tempo", error.Message, StringComparison.Ordinal);
    }

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }
}
