using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Components.Kubernetes;

/// <summary>One VolumeSnapshot a backup made, as recorded in <c>/&lt;component&gt;/volume-snapshots.json</c>.</summary>
public sealed record VolumeSnapshotRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("pvc")] string Pvc,
    [property: JsonPropertyName("class")] string Class,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    /// <summary>The labels every Stackvault VolumeSnapshot carries; pruning selects by them.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    public const string ComponentLabel = "stackvault.io/component";

    public const string PvcLabel = "stackvault.io/pvc";

    /// <summary>The options volume-snapshots.json is written with (indented), resolved by the source-generated context.</summary>
    public static readonly JsonSerializerOptions JsonOptions = KubernetesJsonContext.Indented.Options;

    /// <summary>The selector of the VolumeSnapshots one component made.</summary>
    public static string Selector(string component) => $"{ManagedByLabel}=stackvault,{ComponentLabel}={component}";
}
