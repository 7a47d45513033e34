using System.Text.Json.Serialization;

namespace Stackvault.Repository.Model;

/// <summary>
/// A snapshot's status: complete, or partial when some source items could not be read. Stored as the lower-case
/// strings <c>complete</c> and <c>partial</c>; anything else (another string, a number) makes the manifest corrupt.
/// No member is 0, so a status is never left out of the JSON as a default.
/// </summary>
[JsonConverter(typeof(SnapshotStatusJsonConverter))]
public enum SnapshotStatus
{
    [JsonStringEnumMemberName("complete")]
    Complete = 1,

    [JsonStringEnumMemberName("partial")]
    Partial = 2,
}

/// <summary>The stored spelling of a <see cref="SnapshotStatus"/>, for text output.</summary>
public static class SnapshotStatusNames
{
    public static string Name(this SnapshotStatus status) => StoredNames<SnapshotStatus>.Of(status);
}

/// <summary>Reads and writes only the member names; integers are refused.</summary>
public sealed class SnapshotStatusJsonConverter() : JsonStringEnumConverter<SnapshotStatus>(namingPolicy: null, allowIntegerValues: false);
