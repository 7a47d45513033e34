using Stackvault.Configuration;
using Stackvault.Tests.Configuration;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>The <c>type: kubernetes</c> keys: read into typed fields; mistakes reported with path and reason.</summary>
public class KubernetesConfigTests
{
    public static TheoryData<string, string, string> Problems => new()
    {
        { "objects: [{ kind: ConfigMap, name: loki }]", "components.k8s.namespace", "missing required key 'namespace'" },
        { "namespace: monitoring\nobjects: [{ kind: Configmap, name: loki }]", "components.k8s.objects[0].kind", "did you mean 'ConfigMap'?" },
        { "namespace: monitoring\nobjects: [{ kind: ConfigMap, name: loki, selector: app=loki }]", "components.k8s.objects[0]", "needs exactly one of name or selector" },
        { "namespace: monitoring\nobjects: [{ kind: ConfigMap, selector: --all-namespaces }]", "components.k8s.objects[0].selector", "not a label selector" },
        { "namespace: monitoring\nobjects: [{ kind: ConfigMap, name: Loki_Config }]", "components.k8s.objects[0].name", "not a Kubernetes name" },
        { "namespace: monitoring\npod_data: [{ pod: loki-0, path: var/loki }]", "components.k8s.pod_data[0].path", "absolute" },
        { "namespace: monitoring\npod_data: [{ pod: loki-0, path: / }]", "components.k8s.pod_data[0].path", "not /" },
        { "namespace: monitoring\nvolume_snapshots: { pvcs: [data-0] }", "components.k8s.volume_snapshots.class", "missing required key 'class'" },
        { "namespace: monitoring\nobjects: [{ kind: ConfigMap, name: a }]\nscale: [{ kind: Service, name: loki }]", "components.k8s.scale[0].kind", "use one of StatefulSet, Deployment" },
        { "namespace: monitoring", "components.k8s", "needs objects, pod_data or volume_snapshots" },
        { "namespace: monitoring\nobjects: [{ kind: ConfigMap, name: a }]\nresources: [x]", "components.k8s.resources", "unknown key" },
        { "namespace: monitoring\ncontext: --insecure\nobjects: [{ kind: ConfigMap, name: a }]", "components.k8s.context", "must not start with '-'" },
    };

    [Fact]
    public void Load_FullComponent_ReadsEveryKey()
    {
        var k8s = KubernetesFixtures.Component("""
            type: kubernetes
            kubeconfig: /etc/kube/config
            context: prod
            namespace: monitoring
            timeout: 10m
            objects:
              - { kind: ConfigMap, name: loki }
              - { kind: PersistentVolumeClaim, selector: "app.kubernetes.io/name in (loki)" }
            pod_data: [{ selector: app.kubernetes.io/name=loki, container: loki, path: /var/loki, pvc: storage-loki-0 }]
            volume_snapshots: { class: csi-snapclass, pvcs: [storage-loki-0] }
            scale: [{ kind: StatefulSet, name: loki }]
            """);

        Assert.Equal(("/etc/kube/config", "prod", "monitoring", TimeSpan.FromMinutes(10)), (k8s.Kubeconfig, k8s.Context, k8s.Namespace, k8s.Timeout));
        Assert.Equal([new KubernetesObjectRef("ConfigMap", "loki", null), new KubernetesObjectRef("PersistentVolumeClaim", null, "app.kubernetes.io/name in (loki)")], k8s.Objects);
        Assert.Equal(new KubernetesPodData(null, "app.kubernetes.io/name=loki", "loki", "/var/loki", "storage-loki-0"), Assert.Single(k8s.PodData));
        Assert.Equal("csi-snapclass", k8s.VolumeSnapshots!.Class);
        Assert.Equal(["storage-loki-0"], k8s.VolumeSnapshots.Pvcs);
        Assert.Equal(new KubernetesObjectRef("StatefulSet", "loki", null), Assert.Single(k8s.Scale));
        Assert.Equal("statefulsets.apps", k8s.Scale[0].KubectlType);
    }

    [Theory]
    [MemberData(nameof(Problems))]
    public void Load_Mistake_ReportedAtItsPath(string body, string path, string message)
    {
        var yaml = "repositories:\n  local: { url: /srv/repo, password_file: /etc/pw }\ncomponents:\n  k8s:\n    type: kubernetes\n"
            + string.Join("\n", body.Split('\n').Select(l => "    " + l)) + "\njobs:\n  j: { repository: local, components: [k8s] }\n";

        var (config, problems) = ConfigLoader.LoadFromText(yaml, "test.yaml", ConfigSamples.NoEnvironment);

        Assert.Null(config);
        Assert.Contains(problems, p => p.YamlPath == path && p.Message.Contains(message, StringComparison.Ordinal));
    }
}
