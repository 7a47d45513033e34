using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Components.Kubernetes;

/// <summary><c>/&lt;name&gt;/component.json</c>: the namespace and where each pod_data archive came from.</summary>
internal sealed record KubernetesComponentRecord(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("pod_data")] IReadOnlyList<KubernetesPodDataRecord> PodData);

/// <summary>One pod_data archive in <see cref="KubernetesComponentRecord"/>: its index, pod, container (null: the default) and path.</summary>
internal sealed record KubernetesPodDataRecord(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("pod")] string Pod,
    [property: JsonPropertyName("container")] string? Container,
    [property: JsonPropertyName("path")] string Path);

/// <summary>
/// Source-generated JSON of the Kubernetes adapter's records, with the serializer's defaults: <see cref="Default"/>
/// compact (component.json), <see cref="Indented"/> for volume-snapshots.json.
/// </summary>
[JsonSerializable(typeof(KubernetesComponentRecord))]
[JsonSerializable(typeof(List<VolumeSnapshotRecord>))]
internal sealed partial class KubernetesJsonContext : JsonSerializerContext
{
    public static KubernetesJsonContext Indented { get; } = new(new JsonSerializerOptions { WriteIndented = true });
}
