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

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The selector of the VolumeSnapshots one component made.</summary>
    public static string Selector(string component) => $"{ManagedByLabel}=stackvault,{ComponentLabel}={component}";
}
