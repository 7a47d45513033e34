using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stackvault.Drill;

/// <summary>The JSON form of a drill report (snake_case; what <c>drill --json</c> prints and the report file holds).</summary>
public static class DrillReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    /// <summary>A plain object for serializers (also used by the CLI's JSON output).</summary>
    public static object Model(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new
        {
            job = report.Job,
            snapshot_id = report.SnapshotId,
            snapshot_time = report.SnapshotTime,
            started_at = report.StartedAt,
            finished_at = report.FinishedAt,
            status = report.Status,
            passed = report.Passed,
            failed_components = report.FailedComponents,
            total_rto_seconds = report.TotalRtoSeconds,
            components = report.Components.Select(c => new
            {
                name = c.Name,
                type = c.Type,
                passed = c.Passed,
                restore_seconds = c.RestoreSeconds,
                check_seconds = c.CheckSeconds,
                rto_seconds = c.RtoSeconds,
                rto_target_seconds = c.RtoTargetSeconds,
                rto_met = c.RtoMet,
                files_restored = c.FilesRestored,
                bytes_restored = c.BytesRestored,
                error = c.Error,
                checks = c.Checks.Select(k => new { name = k.Name, passed = k.Passed, expected = k.Expected, actual = k.Actual, message = k.Message }),
            }),
        };
    }

    public static string Serialize(DrillReport report) => JsonSerializer.Serialize(Model(report), Options);
}
