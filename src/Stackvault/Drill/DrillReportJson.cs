using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Drill;

/// <summary>The JSON form of a drill report (snake_case; what <c>drill --json</c> prints and the report file holds).</summary>
public static class DrillReportJson
{
    /// <summary>The report file's options: nulls left out, relaxed escaping, indented (source-generated, no reflection).</summary>
    private static readonly DrillReportJsonContext Context = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    });

    /// <summary>
    /// A plain object for serializers (also used by the CLI's JSON output). Every property carries its JSON name, so
    /// any options give the same names; its type is in <see cref="DrillReportJsonContext"/>.
    /// </summary>
    public static DrillReportDocument Model(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new DrillReportDocument(
            report.Job,
            report.SnapshotId,
            report.SnapshotTime,
            report.StartedAt,
            report.FinishedAt,
            report.Status,
            report.Passed,
            report.FailedComponents,
            report.TotalRtoSeconds,
            [.. report.Components.Select(c => new DrillComponentDocument(
                c.Name,
                c.Type,
                c.Passed,
                c.RestoreSeconds,
                c.CheckSeconds,
                c.RtoSeconds,
                c.RtoTargetSeconds,
                c.RtoMet,
                c.FilesRestored,
                c.BytesRestored,
                c.Error,
                [.. c.Checks.Select(k => new DrillCheckDocument(k.Name, k.Passed, k.Expected, k.Actual, k.Message))]))]);
    }

    public static string Serialize(DrillReport report) => JsonSerializer.Serialize(Model(report), Context.DrillReportDocument);
}

/// <summary>The drill report as JSON (<see cref="DrillReportJson.Model"/>), in the order and with the names it is written.</summary>
public sealed record DrillReportDocument(
    [property: JsonPropertyName("job")] string Job,
    [property: JsonPropertyName("snapshot_id")] string SnapshotId,
    [property: JsonPropertyName("snapshot_time")] DateTimeOffset SnapshotTime,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("finished_at")] DateTimeOffset FinishedAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("failed_components")] IReadOnlyList<string> FailedComponents,
    [property: JsonPropertyName("total_rto_seconds")] double TotalRtoSeconds,
    [property: JsonPropertyName("components")] IReadOnlyList<DrillComponentDocument> Components);

/// <summary>One component of a <see cref="DrillReportDocument"/>.</summary>
public sealed record DrillComponentDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("restore_seconds")] double RestoreSeconds,
    [property: JsonPropertyName("check_seconds")] double CheckSeconds,
    [property: JsonPropertyName("rto_seconds")] double RtoSeconds,
    [property: JsonPropertyName("rto_target_seconds")] double RtoTargetSeconds,
    [property: JsonPropertyName("rto_met")] bool RtoMet,
    [property: JsonPropertyName("files_restored")] long FilesRestored,
    [property: JsonPropertyName("bytes_restored")] long BytesRestored,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("checks")] IReadOnlyList<DrillCheckDocument> Checks);

/// <summary>One check of a <see cref="DrillComponentDocument"/>.</summary>
public sealed record DrillCheckDocument(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("passed")] bool Passed,
    [property: JsonPropertyName("expected")] string? Expected,
    [property: JsonPropertyName("actual")] string? Actual,
    [property: JsonPropertyName("message")] string? Message);

/// <summary>
/// Source-generated metadata of <see cref="DrillReportDocument"/> (the CLI can serialize the model through it with
/// its own options: <c>new DrillReportJsonContext(options).DrillReportDocument</c>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DrillReportDocument))]
public sealed partial class DrillReportJsonContext : JsonSerializerContext;
