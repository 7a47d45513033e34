using System.Formats.Tar;
using System.Text;
using Stackvault.Components.Kubernetes;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>The restore choreography against the kubectl stand-in: dry run first, scale down, stream, always scale back.</summary>
public class KubernetesRestorerTests
{
    private const string Body = """
        type: kubernetes
        namespace: monitoring
        timeout: 2m
        objects: [{ kind: ConfigMap, name: loki }, { kind: StatefulSet, name: loki }]
        pod_data: [{ pod: loki-0, container: loki, path: /var/loki }]
        scale: [{ kind: StatefulSet, name: loki }]
        """;

    [Fact]
    public async Task RestoreObjectsAsync_DryRunsAllThenAppliesConfigMapsBeforeWorkloads()
    {
        using var temp = new TempDirectory();
        var restored = Restored(temp);
        var kubectl = new KubectlStandIn(temp).On("apply");

        var count = await Restorer(kubectl).RestoreObjectsAsync(restored, CancellationToken.None);

        Assert.Equal(2, count);
        Assert.Equal(2, kubectl.Calls.Count);
        Assert.Contains("apply --dry-run=server -f " + Path.Combine(restored, "objects/configmap/loki.yaml") + " -f " + Path.Combine(restored, "objects/statefulset/loki.yaml"), kubectl.Calls[0], StringComparison.Ordinal);
        Assert.Contains("monitoring apply -f " + Path.Combine(restored, "objects/configmap/loki.yaml"), kubectl.Calls[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestoreObjectsAsync_DryRunRejected_AppliesNothing()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp).On("--dry-run=server", exit: 1, stderr: "The StatefulSet \"loki\" is invalid: spec.selector: field is immutable").On("apply");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(() => Restorer(kubectl).RestoreObjectsAsync(Restored(temp), CancellationToken.None));

        Assert.Contains("field is immutable", error.Message, StringComparison.Ordinal);
        Assert.Single(kubectl.Calls);
    }

    [Fact]
    public async Task RestorePodDataAsync_ScalesDownStreamsTheArchiveAndScalesBackToTheRecordedReplicas()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("scale")
            .On("wait --for=delete pod -l app.kubernetes.io/name=loki --timeout=120s")
            .On("exec -i loki-0 -c loki -- tar xf - -C /var/loki", saveStdin: true)
            .On("rollout status statefulsets.apps/loki --timeout=120s");

        var entries = await Restorer(kubectl).RestorePodDataAsync(Restored(temp), clean: false, CancellationToken.None);

        var order = new[] { "scale statefulsets.apps/loki --replicas=0", "wait --for=delete", "exec -i loki-0", "scale statefulsets.apps/loki --replicas=3", "rollout status" }
            .Select(kubectl.IndexOf).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        var sent = ReadTar(kubectl.Stdin(3));
        Assert.Equal("index line\n", sent["./index/table_1"]);
        Assert.Equal(entries, sent.Count + 2); // "." and "./index" directories too
    }

    [Fact]
    public async Task RestorePodDataAsync_ExecFails_StillScalesBackAndReportsTheFailure()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("scale")
            .On("wait --for=delete")
            .On("exec -i", exit: 1, stderr: "tar: /var/loki: Cannot open: Permission denied")
            .On("rollout status");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(() => Restorer(kubectl).RestorePodDataAsync(Restored(temp), clean: false, CancellationToken.None));

        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
        Assert.True(kubectl.IndexOf("scale statefulsets.apps/loki --replicas=3") > kubectl.IndexOf("exec -i"));
        Assert.True(kubectl.IndexOf("rollout status statefulsets.apps/loki") > 0);
    }

    [Fact]
    public async Task RestorePodDataAsync_ScaleBackFailsToo_NamesBothFailures()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("--replicas=0")
            .On("--replicas=3", exit: 1, stderr: "error: connection refused")
            .On("wait --for=delete")
            .On("exec -i", exit: 1, stderr: "error: pod not found")
            .On("rollout status", exit: 1, stderr: "error: timed out");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(() => Restorer(kubectl).RestorePodDataAsync(Restored(temp), clean: false, CancellationToken.None));

        Assert.Contains("pod not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("scaling back also failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestorePodDataAsync_HostileArchive_RefusedAndScaledBack()
    {
        using var temp = new TempDirectory();
        var restored = Restored(temp);
        using (var file = File.Create(Path.Combine(restored, "pod-data", "0.tar")))
        using (var writer = new TarWriter(file, TarEntryFormat.Gnu))
        {
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "../../etc/cron.d/evil") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }

        var kubectl = new KubectlStandIn(temp)
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("scale").On("wait --for=delete").On("exec -i", saveStdin: true).On("rollout status");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Restorer(kubectl).RestorePodDataAsync(restored, clean: false, CancellationToken.None));

        Assert.Contains("outside its directory", error.Message, StringComparison.Ordinal);
        Assert.True(kubectl.IndexOf("--replicas=3") > 0);
    }

    [Fact]
    public async Task RestorePodDataAsync_PvcEntry_StreamsIntoAHelperPodMountingThePvcAndDeletesIt()
    {
        using var temp = new TempDirectory();
        var kubectl = new KubectlStandIn(temp)
            .On("get statefulsets.apps loki -o json", KubernetesFixtures.StatefulSet)
            .On("scale").On("wait --for=delete")
            .On("create -f -", saveStdin: true)
            .On("--for=condition=Ready")
            .On("exec stackvault-restore-").On("exec -i stackvault-restore-")
            .On("delete pod stackvault-restore-")
            .On("rollout status");
        var component = KubernetesFixtures.Component(Body.Replace("path: /var/loki }", "path: /var/loki, pvc: storage-loki-0 }", StringComparison.Ordinal));

        await new KubernetesRestorer(component, _ => { }, kubectl.Program).RestorePodDataAsync(Restored(temp), clean: true, CancellationToken.None);

        var pod = Encoding.UTF8.GetString(kubectl.Stdin(3));
        Assert.Contains("\"claimName\":\"storage-loki-0\"", pod, StringComparison.Ordinal);
        Assert.Contains("\"mountPath\":\"/var/loki\"", pod, StringComparison.Ordinal);
        Assert.True(kubectl.IndexOf("find /var/loki -mindepth 1 -delete") < kubectl.IndexOf("tar xf - -C /var/loki"));
        Assert.True(kubectl.IndexOf("delete pod stackvault-restore-") > kubectl.IndexOf("tar xf"));
        Assert.True(kubectl.IndexOf("--replicas=3") > kubectl.IndexOf("delete pod"));
    }

    private static KubernetesRestorer Restorer(KubectlStandIn kubectl) => new(KubernetesFixtures.Component(Body), _ => { }, kubectl.Program);

    /// <summary>A directory as <c>restore --component k8s --target DIR</c> leaves it.</summary>
    private static string Restored(TempDirectory temp)
    {
        var root = temp.Sub("restored");
        Directory.CreateDirectory(Path.Combine(root, "objects", "configmap"));
        Directory.CreateDirectory(Path.Combine(root, "objects", "statefulset"));
        Directory.CreateDirectory(Path.Combine(root, "pod-data"));
        File.WriteAllText(Path.Combine(root, "objects", "configmap", "loki.yaml"), "apiVersion: v1\nkind: ConfigMap\n");
        File.WriteAllText(Path.Combine(root, "objects", "statefulset", "loki.yaml"), "apiVersion: apps/v1\nkind: StatefulSet\n");
        var data = Directory.CreateDirectory(temp.Sub("pod-fs/index")).FullName;
        File.WriteAllText(Path.Combine(data, "table_1"), "index line\n");
        File.WriteAllBytes(Path.Combine(root, "pod-data", "0.tar"), KubernetesFixtures.Tar(temp.Sub("pod-fs")));
        return root;
    }

    private static Dictionary<string, string> ReadTar(byte[] bytes)
    {
        var files = new Dictionary<string, string>();
        using var reader = new TarReader(new MemoryStream(bytes));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var text = new StreamReader(entry.DataStream!);
                files[entry.Name] = text.ReadToEnd();
            }
        }

        return files;
    }
}
