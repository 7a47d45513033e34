using Stackvault.Configuration;
using Stackvault.Deploy.Kubernetes;
using static Stackvault.Tests.Deploy.Kubernetes.ManifestSamples;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>The Role holds exactly what the configured kubernetes components need for a backup, nothing more.</summary>
public class RbacRulesTests
{
    public static TheoryData<string, string[]> Sets => new()
    {
        // named objects: get on those names only
        { "objects: [{ kind: ConfigMap, name: loki }, { kind: ConfigMap, name: tempo }]", ["/configmaps[loki,tempo]:get"] },
        // a selector needs list (names unknown); a Secret by name stays get-by-name
        { "objects: [{ kind: StatefulSet, selector: app=loki }, { kind: Secret, name: s3 }]", ["/secrets[s3]:get", "apps/statefulsets:list"] },
        // a named pod: get and exec on that pod only; exec is create (SPDY POST) and get (WebSocket GET, kubectl 1.30+)
        { "pod_data: [{ pod: loki-0, path: /var/loki }]", ["/pods/exec[loki-0]:create,get", "/pods[loki-0]:get"] },
        // a pod by selector: list pods, get and exec any
        { "pod_data: [{ selector: app=tempo, path: /var/tempo }]", ["/pods/exec:create,get", "/pods:get,list"] },
        // VolumeSnapshots: create, wait (get, list, watch), prune (delete); not the PVCs
        { "volume_snapshots: { class: csi, pvcs: [data-0] }", ["snapshot.storage.k8s.io/volumesnapshots:create,delete,get,list,watch"] },
        // scale is restore-only: no rule for the backup
        { "objects: [{ kind: Service, name: loki }]\nscale: [{ kind: StatefulSet, name: loki }]", ["/services[loki]:get"] },
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void For_ComponentSet_IsMinimal(string body, string[] expected)
    {
        var config = Load("repositories: { r: { url: s3://backups/p, password_file: /p } }\ncomponents:\n  k:\n    type: kubernetes\n    namespace: monitoring\n"
            + string.Join("\n", body.Split('\n').Select(l => "    " + l)) + "\njobs: { j: { repository: r, components: [k] } }");

        var rules = RbacRules.For(config.Components.Values.OfType<KubernetesComponent>());

        var ns = Assert.Single(rules);
        Assert.Equal("monitoring", ns.Key);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ns.Value.Select(Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Generate_NoKubernetesComponents_NoRoleAndNoServiceAccountToken()
    {
        var config = Load("repositories: { r: { url: s3://backups/p, password_file: /p } }\ncomponents: { f: { type: files, paths: [/etc] } }\njobs: { j: { repository: r, components: [f] } }");

        var objects = ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x" });

        Assert.DoesNotContain(objects, o => o.Kind is "Role" or "RoleBinding" or "ClusterRole");
        Assert.Equal(false, At(objects.Single(o => o.Kind == "ServiceAccount"), "automountServiceAccountToken"));
    }

    [Fact]
    public void Generate_ComponentsInTwoNamespaces_ARoleAndBindingInEachForTheOneServiceAccount()
    {
        var config = Load("""
            repositories: { r: { url: s3://backups/p, password_file: /p } }
            components:
              a: { type: kubernetes, namespace: monitoring, objects: [{ kind: ConfigMap, name: loki }] }
              b: { type: kubernetes, namespace: tracing, objects: [{ kind: ConfigMap, name: tempo }] }
            jobs: { j: { repository: r, components: [a, b] } }
            """);

        var objects = ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x", Namespace = "backup" });

        var bindings = objects.Where(o => o.Kind == "RoleBinding").ToList();
        Assert.Equal(["monitoring", "tracing"], bindings.Select(b => At(b, "metadata.namespace")));
        Assert.All(bindings, b => Assert.Equal(("stackvault", "backup"), ((string)At(b, "subjects.0.name")!, (string)At(b, "subjects.0.namespace")!)));
        Assert.DoesNotContain(objects, o => o.Kind == "ClusterRole");
    }

    private static string Text(RbacRule rule) =>
        $"{rule.ApiGroup}/{rule.Resource}" + (rule.ResourceNames.Count > 0 ? $"[{string.Join(',', rule.ResourceNames)}]" : string.Empty) + ":" + string.Join(',', rule.Verbs);
}
