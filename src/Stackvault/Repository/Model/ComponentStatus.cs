using System.Text.Json.Serialization;

namespace Stackvault.Repository.Model;

/// <summary>
/// A component section's status: complete, partial (some items unreadable) or failed (nothing stored). Stored (in the
/// manifest, the status file, <c>--json</c> output) as the lower-case strings <c>complete</c>, <c>partial</c> and
/// <c>failed</c>; anything else makes the manifest corrupt. No member is 0, so a status is never left out as a default.
/// </summary>
[JsonConverter(typeof(ComponentStatusJsonConverter))]
public enum ComponentStatus
{
    [JsonStringEnumMemberName("complete")]
    Complete = 1,

    [JsonStringEnumMemberName("partial")]
    Partial = 2,

    [JsonStringEnumMemberName("failed")]
    Failed = 3,
}

/// <summary>The stored spelling of a <see cref="ComponentStatus"/>, for text output, logs and notifications.</summary>
public static class ComponentStatusNames
{
    public static string Name(this ComponentStatus status) => StoredNames<ComponentStatus>.Of(status);
}

/// <summary>Reads and writes only the member names; integers are refused.</summary>
public sealed class ComponentStatusJsonConverter() : JsonStringEnumConverter<ComponentStatus>(namingPolicy: null, allowIntegerValues: false);
