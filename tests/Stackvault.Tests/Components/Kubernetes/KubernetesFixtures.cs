using System.Diagnostics;
using Stackvault.Configuration;
using Stackvault.Tests.Configuration;

namespace Stackvault.Tests.Components.Kubernetes;

/// <summary>kubectl JSON answers shaped like a real cluster's, and helpers to build components and archives.</summary>
internal static class KubernetesFixtures
{
    public const string ConfigMap = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"loki","namespace":"monitoring","uid":"0b5e-11","resourceVersion":"4711",
         "creationTimestamp":"2026-01-01T00:00:00Z","managedFields":[{"manager":"helm"}],
         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}","meta.helm.sh/release-name":"loki"}},
         "data":{"config.yaml":"auth_enabled: false\nserver:\n  http_listen_port: 3100\n","flag":"true","port":"0123"}}
        """;

    public const string StatefulSets = """
        {"apiVersion":"v1","kind":"List","items":[
         {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"loki","namespace":"monitoring","uid":"u1","generation":3,"resourceVersion":"9"},
          "spec":{"replicas":3,"selector":{"matchLabels":{"app.kubernetes.io/name":"loki"}},"serviceName":"loki",
                  "template":{"metadata":{"labels":{"app.kubernetes.io/name":"loki"}},"spec":{"containers":[{"name":"loki","image":"grafana/loki:3.0.0"}]}}},
          "status":{"replicas":3,"readyReplicas":3}}]}
        """;

    public const string StatefulSet = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"loki","namespace":"monitoring"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app.kubernetes.io/name":"loki"}}},"status":{"replicas":3}}
        """;

    public const string Pods = """
        {"apiVersion":"v1","kind":"List","items":[
         {"kind":"Pod","metadata":{"name":"loki-2"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}},
         {"kind":"Pod","metadata":{"name":"loki-0"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"False"}]}},
         {"kind":"Pod","metadata":{"name":"loki-1"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}]}
        """;

    /// <summary>The <c>type: kubernetes</c> component named <c>k8s</c> built from its YAML mapping body.</summary>
    public static KubernetesComponent Component(string body)
    {
        var yaml = $"""
            repositories:
              local: {"{"} url: /srv/repo, password_file: /etc/pw {"}"}
            components:
              k8s:
            {Indent(body, "    ")}
            jobs:
              j: {"{"} repository: local, components: [k8s] {"}"}
            """;
        var (config, problems) = ConfigLoader.LoadFromText(yaml, "test.yaml", ConfigSamples.NoEnvironment);
        Assert.True(config is not null, string.Join("\n", problems));
        return Assert.IsType<KubernetesComponent>(config.Components["k8s"]);
    }

    /// <summary>A real tar archive (GNU tar, as a pod would make) of <paramref name="directory"/>'s contents.</summary>
    public static byte[] Tar(string directory)
    {
        var start = new ProcessStartInfo("tar") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "cf", "-", "-C", directory, "." })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var buffer = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(buffer);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return buffer.ToArray();
    }

    private static string Indent(string text, string prefix) =>
        string.Join("\n", text.Split('\n').Select(line => prefix + line));
}
