using System.Globalization;
using System.Text.Json.Nodes;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// After a configuration restore: <c>kubectl rollout restart</c> of every Deployment, StatefulSet and DaemonSet whose
/// pod template uses a restored ConfigMap or Secret (volumes, projected volumes, <c>envFrom</c>, <c>env.valueFrom</c>),
/// then <c>kubectl rollout status</c> of each within the timeout, as the seeds do by hand.
/// </summary>
public sealed partial class KubernetesRestorer
{
    /// <summary>Restarts the consumers of the ConfigMaps and Secrets saved in <paramref name="componentDirectory"/>; returns them (<c>deployment/x</c>).</summary>
    public async Task<IReadOnlyList<string>> RestartConsumersAsync(string componentDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var configMaps = Names(componentDirectory, "configmap");
        var secrets = Names(componentDirectory, "secret");
        if (configMaps.Count == 0 && secrets.Count == 0)
        {
            return [];
        }

        var json = await _client.RunAsync(["get", "deployments,statefulsets,daemonsets", "-o", "json"], cancellationToken).ConfigureAwait(false);
        var consumers = new List<string>();
        foreach (var item in KubernetesObjects.Parse(json))
        {
            var kind = ((string?)item["kind"])?.ToLowerInvariant();
            var name = (string?)item["metadata"]?["name"];
            if (kind is null || name is null || item["spec"]?["template"]?["spec"] is not JsonObject pod)
            {
                continue;
            }

            var (usedMaps, usedSecrets) = References(pod);
            if (usedMaps.Overlaps(configMaps) || usedSecrets.Overlaps(secrets))
            {
                consumers.Add($"{kind}/{name}");
            }
        }

        if (consumers.Count == 0)
        {
            progress($"{component.Name}: no Deployment, StatefulSet or DaemonSet uses the restored ConfigMaps/Secrets: nothing to restart");
            return [];
        }

        foreach (var consumer in consumers)
        {
            progress($"{component.Name}: rollout restart {consumer}");
            await _client.RunAsync(["rollout", "restart", consumer], cancellationToken).ConfigureAwait(false);
        }

        var seconds = ((long)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        foreach (var consumer in consumers)
        {
            await _client.RunAsync(["rollout", "status", consumer, $"--timeout={seconds}s"], cancellationToken).ConfigureAwait(false);
        }

        return consumers;
    }

    private static HashSet<string> Names(string componentDirectory, string kind)
    {
        var directory = Path.Combine(componentDirectory, "objects", kind);
        return Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
    }

    /// <summary>The ConfigMaps and Secrets a pod template refers to.</summary>
    private static (HashSet<string> ConfigMaps, HashSet<string> Secrets) References(JsonObject pod)
    {
        var maps = new HashSet<string>(StringComparer.Ordinal);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        void Add(HashSet<string> set, JsonNode? name)
        {
            if ((string?)name is { } text)
            {
                set.Add(text);
            }
        }

        foreach (var volume in pod["volumes"] as JsonArray ?? [])
        {
            Add(maps, volume?["configMap"]?["name"]);
            Add(secrets, volume?["secret"]?["secretName"]);
            foreach (var source in volume?["projected"]?["sources"] as JsonArray ?? [])
            {
                Add(maps, source?["configMap"]?["name"]);
                Add(secrets, source?["secret"]?["name"]);
            }
        }

        foreach (var container in (pod["containers"] as JsonArray ?? []).Concat(pod["initContainers"] as JsonArray ?? []))
        {
            foreach (var from in container?["envFrom"] as JsonArray ?? [])
            {
                Add(maps, from?["configMapRef"]?["name"]);
                Add(secrets, from?["secretRef"]?["name"]);
            }

            foreach (var env in container?["env"] as JsonArray ?? [])
            {
                Add(maps, env?["valueFrom"]?["configMapKeyRef"]?["name"]);
                Add(secrets, env?["valueFrom"]?["secretKeyRef"]?["name"]);
            }
        }

        return (maps, secrets);
    }
}
