using System.Text.Json.Nodes;
using Stackvault.Configuration;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// Kubernetes objects as kubectl prints them (<c>-o json</c>), cleaned for re-apply: no status, managedFields,
/// resourceVersion, uid, creationTimestamp, generation, selfLink, ownerReferences, last-applied annotation; a
/// Service loses its cluster IPs and a PVC its bound volume (both are assigned by the cluster). Written as YAML.
/// </summary>
public static class KubernetesObjects
{
    private static readonly string[] MetadataDropped = ["managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "ownerReferences"];

    private static readonly string[] AnnotationsDropped =
        ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision", "pv.kubernetes.io/bind-completed",
         "pv.kubernetes.io/bound-by-controller", "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner",
         "volume.kubernetes.io/selected-node"];

    /// <summary>The objects of <c>kubectl get -o json</c> output: one object, or a List's items.</summary>
    public static IReadOnlyList<JsonObject> Parse(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("kubectl printed no JSON object");
        return node["items"] is JsonArray items ? items.OfType<JsonObject>().ToList() : [node];
    }

    /// <summary>A copy of <paramref name="item"/> without the fields the cluster owns.</summary>
    public static JsonObject Clean(JsonObject item)
    {
        var copy = (JsonObject)item.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in MetadataDropped)
            {
                metadata.Remove(key);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                foreach (var key in AnnotationsDropped)
                {
                    annotations.Remove(key);
                }

                if (annotations.Count == 0)
                {
                    metadata.Remove("annotations");
                }
            }
        }

        var kind = (string?)copy["kind"];
        if (copy["spec"] is JsonObject spec)
        {
            if (kind == "Service")
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            else if (kind == "PersistentVolumeClaim")
            {
                spec.Remove("volumeName");
            }
        }

        return copy;
    }

    public static string Kind(JsonObject item) => (string?)item["kind"] ?? "Unknown";

    public static string Name(JsonObject item) => (string?)item["metadata"]?["name"] ?? throw new FormatException("an object without metadata.name");

    /// <summary>YAML for <paramref name="node"/> (strings that would read as other types are quoted).</summary>
    public static string ToYaml(JsonNode node) => YamlTreeWriter.Serialize(Plain(node), YamlTreeWriter.Kubernetes);

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}
