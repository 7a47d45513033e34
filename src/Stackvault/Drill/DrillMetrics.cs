using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stackvault.Drill;

/// <summary>
/// The drill metrics in the Prometheus text format (for node_exporter's textfile collector, or the daemon's
/// /metrics): <c>stackvault_drill_last_status{job}</c> (1 passed, 0 failed), <c>stackvault_drill_rto_seconds{job}</c>
/// (total) and per component <c>stackvault_drill_component_rto_seconds{job,component}</c>,
/// <c>stackvault_drill_last_success_timestamp_seconds{job}</c> (kept from the previous file when this drill failed).
/// </summary>
public static partial class DrillMetrics
{
    public static string Render(DrillReport report, DateTimeOffset? previousSuccess = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var job = Label(report.Job);
        var text = new StringBuilder();
        text.Append("# HELP stackvault_drill_last_status Result of the last restore drill: 1 passed, 0 failed.\n# TYPE stackvault_drill_last_status gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"stackvault_drill_last_status{{job=\"{job}\"}} {(report.Passed ? 1 : 0)}\n");
        text.Append("# HELP stackvault_drill_rto_seconds Measured recovery time of the last restore drill (all components).\n# TYPE stackvault_drill_rto_seconds gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"stackvault_drill_rto_seconds{{job=\"{job}\"}} {Number(report.TotalRtoSeconds)}\n");
        text.Append("# HELP stackvault_drill_component_rto_seconds Measured recovery time per component in the last restore drill.\n# TYPE stackvault_drill_component_rto_seconds gauge\n");
        foreach (var c in report.Components)
        {
            text.Append(CultureInfo.InvariantCulture, $"stackvault_drill_component_rto_seconds{{job=\"{job}\",component=\"{Label(c.Name)}\"}} {Number(c.RtoSeconds)}\n");
        }

        var success = report.Passed ? report.FinishedAt : previousSuccess;
        if (success is { } at)
        {
            text.Append("# HELP stackvault_drill_last_success_timestamp_seconds When the last restore drill that passed finished.\n# TYPE stackvault_drill_last_success_timestamp_seconds gauge\n");
            text.Append(CultureInfo.InvariantCulture, $"stackvault_drill_last_success_timestamp_seconds{{job=\"{job}\"}} {Number(at.ToUnixTimeMilliseconds() / 1000.0)}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes the metrics to <paramref name="path"/> atomically (a temporary file beside it, then rename), keeping the
    /// last success time found in the file it replaces when this drill failed.
    /// </summary>
    public static async Task WriteTextfileAsync(DrillReport report, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var full = Path.GetFullPath(path);
        DateTimeOffset? previous = null;
        if (File.Exists(full))
        {
            var match = SuccessLine().Matches(await File.ReadAllTextAsync(full, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(m => m.Groups["job"].Value == Label(report.Job));
            if (match is not null && double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                previous = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            }
        }

        await AtomicFile.WriteAsync(full, Render(report, previous), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A label value escaped as the text format requires.</summary>
    public static string Label(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    [GeneratedRegex("""^stackvault_drill_last_success_timestamp_seconds\{job="(?<job>(?:[^"\\]|\\.)*)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex SuccessLine();
}
