using System.Text.Json;
using System.Text.Json.Serialization;
using Stackvault.Jobs;

namespace Stackvault.Telemetry;

/// <summary>
/// Source-generated JSON for <c>status.json</c> and the status report (<c>stackvault status --json</c>, the daemon's
/// <c>/status</c>): snake_case names, nulls left out, indented. The relaxed encoder, which the attribute cannot name,
/// comes with the options of <see cref="Instance"/> (see <see cref="StatusStore.JsonOptions"/>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(StatusFile))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(JobOutcome))]
internal sealed partial class StatusJsonContext : JsonSerializerContext
{
    /// <summary>The context bound to the options status.json has always been written with.</summary>
    public static StatusJsonContext Instance { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
