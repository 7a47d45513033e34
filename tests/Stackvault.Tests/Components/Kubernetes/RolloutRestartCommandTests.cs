using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>
/// <c>stackvault k8s restore --from DIR</c> of a ConfigMap: after the apply, every workload using it is rollout-restarted
/// and awaited (<c>rollout status</c> with <c>--rollout-timeout</c>); the others are left alone. kubectl is the stand-in.
/// </summary>
public class RolloutRestartCommandTests
{
    private const string Workloads = """
        {"apiVersion":"v1","kind":"List","items":[
         {"kind":"Deployment","metadata":{"name":"grafana"},"spec":{"template":{"spec":{"volumes":[{"name":"ini","configMap":{"name":"grafana-ini"}}],"containers":[{"name":"g"}]}}}},
         {"kind":"StatefulSet","metadata":{"name":"loki"},"spec":{"template":{"spec":{"containers":[{"name":"l","envFrom":[{"configMapRef":{"name":"unrelated"}}]}]}}}},
         {"kind":"DaemonSet","metadata":{"name":"alloy"},"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"X","valueFrom":{"configMapKeyRef":{"name":"grafana-ini","key":"k"}}}]}]}}}}]}
        """;

    [Fact]
    public async Task ConfigMapRestore_RestartsItsUsers_AndWaitsForTheirRollout()
    {
        using var temp = new TempDirectory();
        var (cli, config, restored, file) = SetUp(temp, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: grafana-ini\ndata:\n  a: b\n");
        var kubectl = new KubectlStandIn(temp).On("apply").On("get deployments,statefulsets,daemonsets -o json", Workloads).On("rollout").FirstOnPathOf(cli);

        var result = await cli.RunOkAsync("k8s", "restore", "--config", config, "--component", "grafana-config", "--from", restored, "--objects-only", "--rollout-timeout", "1m30s");

        Assert.Equal(
            [
                $"apply --dry-run=server -f {file}", $"apply -f {file}", "get deployments,statefulsets,daemonsets -o json",
                "rollout restart deployment/grafana", "rollout restart daemonset/alloy",
                "rollout status deployment/grafana --timeout=90s", "rollout status daemonset/alloy --timeout=90s",
            ],
            kubectl.Calls.Select(c => c.Replace("--namespace=monitoring ", string.Empty, StringComparison.Ordinal)));
        Assert.Contains("2 workload(s) restarted", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutStatusTimesOut_TheRestoreFails()
    {
        using var temp = new TempDirectory();
        var (cli, config, restored, _) = SetUp(temp, "kind: ConfigMap\n");
        new KubectlStandIn(temp).On("apply").On("get deployments,statefulsets,daemonsets -o json", Workloads)
            .On("rollout status", exit: 1, stderr: "error: timed out waiting for the condition").On("rollout restart").FirstOnPathOf(cli);

        var result = await cli.RunAsync("k8s", "restore", "--config", config, "--component", "grafana-config", "--from", restored, "--rollout-timeout", "10s");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("timed out", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A job config with the grafana-ini ConfigMap component and that ConfigMap's restored file (its <paramref name="yaml"/>).</summary>
    private static (CliRunner Cli, string Config, string Restored, string File) SetUp(TempDirectory temp, string yaml)
    {
        var cli = new CliRunner(temp.Sub("repo"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), """
            components:
              grafana-config: { type: kubernetes, namespace: monitoring, objects: [{ kind: ConfigMap, name: grafana-ini }] }
            jobs:
              bulk: { repository: main, components: [grafana-config] }
            """);
        var restored = temp.Sub("restored");
        var file = Path.Combine(Directory.CreateDirectory(Path.Combine(restored, "objects", "configmap")).FullName, "grafana-ini.yaml");
        File.WriteAllText(file, yaml);
        return (cli, config, restored, file);
    }
}
