using System.Globalization;
using System.Text;

namespace Stackvault.Drill;

/// <summary>Writes a report as <c>drill-&lt;job&gt;-&lt;time&gt;.json|.md|.html</c> into a directory, each file atomically.</summary>
public static class DrillReportFiles
{
    /// <summary>Returns the paths written (JSON, Markdown, HTML).</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(DrillReport report, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stem = Path.Combine(Path.GetFullPath(directory),
            $"drill-{SafeName(report.Job)}-{report.StartedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}");
        string[] paths = [stem + ".json", stem + ".md", stem + ".html"];
        await AtomicFile.WriteAsync(paths[0], DrillReportJson.Serialize(report) + "\n", cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAsync(paths[1], DrillReportText.Markdown(report), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAsync(paths[2], DrillReportText.Html(report), cancellationToken).ConfigureAwait(false);
        return paths;
    }

    /// <summary>A job name usable in a file name: letters, digits, '-', '_' and '.' kept, anything else '_'.</summary>
    public static string SafeName(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var result = safe.ToString().TrimStart('.');
        return result.Length == 0 ? "job" : result;
    }
}
