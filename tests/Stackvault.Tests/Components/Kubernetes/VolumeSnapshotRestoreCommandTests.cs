using System.Text.Json;
using System.Text.RegularExpressions;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>
/// <c>stackvault k8s restore --volume-snapshot</c> and the rollout restart after a ConfigMap restore, through the CLI,
/// kubectl being the stand-in on PATH; the commands it received are asserted in order.
/// </summary>
public partial class VolumeSnapshotRestoreCommandTests
{
    private const string Snapshot = """
        {"apiVersion":"snapshot.storage.k8s.io/v1","kind":"VolumeSnapshot","metadata":{"name":"snap-1"},
         "spec":{"source":{"persistentVolumeClaimName":"PVC"},"volumeSnapshotClassName":"csi"},"status":{"readyToUse":true,"restoreSize":"10Gi"}}
        """;

    private const string Pvc = """
        {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"PVC"},
         "spec":{"storageClassName":"csi-hostpath","accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"20Gi"}},"volumeName":"pv-old"}}
        """;

    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"grafana"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"grafana"}},"template":{"spec":{"volumes":[
           {"name":"ini","configMap":{"name":"grafana-ini"}},{"name":"storage","persistentVolumeClaim":{"claimName":"grafana"}}]}}}}
        """;

    private const string StatefulSet = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"loki"},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"loki"}},"volumeClaimTemplates":[{"metadata":{"name":"storage"}}]}}
        """;

    [Fact]
    public async Task Deployment_CreatesPvcFromSnapshot_WaitsBound_ScalesDown_Patches_ScalesBack()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "Deployment", "grafana", "Immediate");

        var result = await cli.RunOkAsync("k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--pvc", "grafana-restored", "--yes");

        Assert.Equal(
            [
                "get volumesnapshot snap-1 -o json", "get pvc grafana -o json --ignore-not-found", "get storageclass csi-hostpath -o json", "get deployments.apps grafana -o json",
                "create -f -", "wait pvc/grafana-restored --for=jsonpath={.status.phase}=Bound T",
                "get deployments.apps grafana -o json", "scale deployments.apps/grafana --replicas=0", "wait --for=delete pod -l app=grafana T",
                """patch deployments.apps/grafana --type=json -p [{"op":"replace","path":"/spec/template/spec/volumes/1/persistentVolumeClaim/claimName","value":"grafana-restored"}]""",
                "scale deployments.apps/grafana --replicas=2", "rollout status deployments.apps/grafana T",
            ],
            Calls(kubectl));
        var pvc = JsonDocument.Parse(kubectl.Stdin(4)).RootElement;
        Assert.Equal("grafana-restored", pvc.GetProperty("metadata").GetProperty("name").GetString());
        var spec = pvc.GetProperty("spec");
        Assert.Equal(("csi-hostpath", "20Gi"), (spec.GetProperty("storageClassName").GetString(), spec.GetProperty("resources").GetProperty("requests").GetProperty("storage").GetString()));
        var source = spec.GetProperty("dataSource");
        Assert.Equal(("snapshot.storage.k8s.io", "VolumeSnapshot", "snap-1"), (source.GetProperty("apiGroup").GetString(), source.GetProperty("kind").GetString(), source.GetProperty("name").GetString()));
        Assert.Contains("now uses PVC grafana-restored", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRun_PrintsEveryStep_RunsOnlyReads()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "Deployment", "grafana", "Immediate");

        var result = await cli.RunOkAsync("k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--pvc", "grafana-restored", "-n");

        Assert.All(kubectl.Calls, c => Assert.StartsWith("--namespace=monitoring get ", c, StringComparison.Ordinal));
        var commands = result.Stdout.Split('\n').Where(l => l.StartsWith("kubectl ", StringComparison.Ordinal)).Select(l => l["kubectl ".Length..]).ToList();
        Assert.Equal(
            [
                "--namespace=monitoring create -f - <<'EOF'", "--namespace=monitoring wait pvc/grafana-restored '--for=jsonpath={.status.phase}=Bound' T",
                "--namespace=monitoring scale deployments.apps/grafana --replicas=0", "--namespace=monitoring wait --for=delete pod -l app=grafana T",
                """--namespace=monitoring patch deployments.apps/grafana --type=json -p '[{"op":"replace","path":"/spec/template/spec/volumes/1/persistentVolumeClaim/claimName","value":"grafana-restored"}]'""",
                "--namespace=monitoring scale deployments.apps/grafana --replicas=2", "--namespace=monitoring rollout status deployments.apps/grafana T",
            ],
            commands.Select(c => TimeoutPattern().Replace(c, "T")));
        Assert.Contains("\"dataSource\":{\"apiGroup\":\"snapshot.storage.k8s.io\",\"kind\":\"VolumeSnapshot\",\"name\":\"snap-1\"}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutYes_PrintsPlan_Exit2_ChangesNothing()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "Deployment", "grafana", "Immediate");

        var result = await cli.ExpectAsync(2, "k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1");

        Assert.Contains("confirm with --yes", result.Stderr, StringComparison.Ordinal);
        Assert.All(kubectl.Calls, c => Assert.StartsWith("--namespace=monitoring get ", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatchFails_WorkloadIsStillScaledBack_AndTheRunFails()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "Deployment", "grafana", "Immediate", failPatch: true);

        var result = await cli.RunAsync(["k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--pvc", "grafana-restored", "--yes"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("kubectl patch failed", result.Stderr, StringComparison.Ordinal);
        var calls = Calls(kubectl);
        var patch = calls.FindIndex(c => c.StartsWith("patch ", StringComparison.Ordinal));
        Assert.True(patch > 0);
        Assert.Equal(["scale deployments.apps/grafana --replicas=2", "rollout status deployments.apps/grafana T"], calls[(patch + 1)..]);
    }

    [Fact]
    public async Task StatefulSet_KeepsOldPv_RecreatesPvcUnderItsName_WhileScaledDown()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "StatefulSet", "storage-loki-0", "WaitForFirstConsumer");

        var result = await cli.RunOkAsync("k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--yes");

        Assert.Equal(
            [
                "get volumesnapshot snap-1 -o json", "get pvc storage-loki-0 -o json --ignore-not-found", "get storageclass csi-hostpath -o json", "get statefulsets.apps loki -o json",
                "get statefulsets.apps loki -o json", "scale statefulsets.apps/loki --replicas=0", "wait --for=delete pod -l app=loki T",
                """patch pv pv-old -p {"spec":{"persistentVolumeReclaimPolicy":"Retain"}}""", "delete pvc storage-loki-0 --wait=true T", "create -f -",
                "scale statefulsets.apps/loki --replicas=1", "rollout status statefulsets.apps/loki T",
            ],
            Calls(kubectl));
        Assert.Equal("storage-loki-0", JsonDocument.Parse(kubectl.Stdin(4)).RootElement.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Contains("PV pv-old", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("WaitForFirstConsumer", result.Stdout, StringComparison.Ordinal);

        var renamed = await cli.ExpectAsync(2, "k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--pvc", "other", "--yes");
        Assert.Contains("keeps that name", renamed.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatefulSet_PvcGone_RecreatedFromSnapshotSize_WithTheGivenStorageClass()
    {
        using var temp = new TempDirectory();
        var (cli, config, kubectl) = Setup(temp, "StatefulSet", "storage-loki-0", "Immediate", pvcGone: true);

        var missing = await cli.ExpectAsync(2, "k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--yes");
        Assert.Contains("PVC storage-loki-0 is gone", missing.Stderr, StringComparison.Ordinal);
        Assert.All(kubectl.Calls, c => Assert.StartsWith("--namespace=monitoring get ", c, StringComparison.Ordinal));

        await cli.RunOkAsync("k8s", "restore", "--config", config, "--component", "grafana-data", "--volume-snapshot", "snap-1", "--storage-class", "csi-hostpath", "--yes");

        var calls = Calls(kubectl);
        var create = calls.LastIndexOf("create -f -");
        Assert.Equal(["wait pvc/storage-loki-0 --for=jsonpath={.status.phase}=Bound T", "scale statefulsets.apps/loki --replicas=1", "rollout status statefulsets.apps/loki T"], calls[(create + 1)..]);
        Assert.DoesNotContain(calls, c => c.StartsWith("patch pv", StringComparison.Ordinal) || c.StartsWith("delete pvc", StringComparison.Ordinal));
        var spec = JsonDocument.Parse(kubectl.Stdin(4)).RootElement.GetProperty("spec");
        Assert.Equal(("csi-hostpath", "10Gi"), (spec.GetProperty("storageClassName").GetString(), spec.GetProperty("resources").GetProperty("requests").GetProperty("storage").GetString()));
    }

    [GeneratedRegex("'?--timeout=[0-9]+s'?")]
    private static partial Regex TimeoutPattern();

    /// <summary>The calls without the namespace option, timeouts as <c>T</c>.</summary>
    private static List<string> Calls(KubectlStandIn kubectl) =>
        kubectl.Calls.Select(c => TimeoutPattern().Replace(c.Replace("--namespace=monitoring ", string.Empty, StringComparison.Ordinal), "T")).ToList();

    private static (CliRunner Cli, string Config, KubectlStandIn Kubectl) Setup(TempDirectory temp, string kind, string pvc, string bindingMode, bool failPatch = false, bool pvcGone = false)
    {
        var cli = new CliRunner(temp.Sub("repo"));
        var name = kind == "Deployment" ? "grafana" : "loki";
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              grafana-data: { type: kubernetes, namespace: monitoring, volume_snapshots: { class: csi, pvcs: [{{pvc}}] }, scale: [{ kind: {{kind}}, name: {{name}} }] }
            jobs:
              bulk: { repository: main, components: [grafana-data] }
            """);
        var kubectl = new KubectlStandIn(temp)
            .On("get volumesnapshot snap-1", Snapshot.Replace("PVC", pvc, StringComparison.Ordinal))
            .On($"get pvc {pvc} -o json", pvcGone ? string.Empty : Pvc.Replace("PVC", pvc, StringComparison.Ordinal))
            .On("get storageclass csi-hostpath", $$"""{"kind":"StorageClass","metadata":{"name":"csi-hostpath"},"volumeBindingMode":"{{bindingMode}}"}""")
            .On($"get deployments.apps grafana", Deployment)
            .On("create -f -", saveStdin: true)
            .On("get statefulsets.apps loki", StatefulSet)
            .On("wait").On("scale").On("delete pvc")
            .On("patch", exit: failPatch ? 1 : 0, stderr: failPatch ? "admission webhook denied the request" : null)
            .On("rollout status");
        kubectl.FirstOnPathOf(cli);
        return (cli, config, kubectl);
    }
}
