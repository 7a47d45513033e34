using System.Globalization;
using System.Net;
using System.Text;

namespace Stackvault.Drill;

/// <summary>The human-readable forms of a drill report: Markdown, and a self-contained HTML page (everything escaped).</summary>
public static class DrillReportText
{
    public static string Markdown(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Restore drill of job {Md(report.Job)}: {report.Status.ToUpperInvariant()}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Snapshot `{report.SnapshotId[..Math.Min(8, report.SnapshotId.Length)]}` of {Time(report.SnapshotTime)}, drilled {Time(report.StartedAt)} to {Time(report.FinishedAt)}. ");
        md.Append(CultureInfo.InvariantCulture, $"Total recovery time {Seconds(report.TotalRtoSeconds)}.\n\n");
        md.Append("| component | type | result | restore | check | RTO | target |\n|---|---|---|---|---|---|---|\n");
        foreach (var c in report.Components)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {Md(c.Name)} | {Md(c.Type)} | {(c.Passed ? "passed" : "**FAILED**")} | {Seconds(c.RestoreSeconds)} | {Seconds(c.CheckSeconds)} | {Seconds(c.RtoSeconds)} | {Seconds(c.RtoTargetSeconds)}{(c.RtoMet ? string.Empty : " **missed**")} |\n");
        }

        foreach (var c in report.Components)
        {
            md.Append(CultureInfo.InvariantCulture, $"\n## {Md(c.Name)} ({Md(c.Type)}): {(c.Passed ? "passed" : "FAILED")}\n\n");
            if (c.Error is not null)
            {
                md.Append(CultureInfo.InvariantCulture, $"{Md(c.Error)}\n\n");
            }

            md.Append("| check | result | recorded | restored | detail |\n|---|---|---|---|---|\n");
            foreach (var k in c.Checks)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {Md(k.Name)} | {(k.Passed ? "ok" : "**FAILED**")} | {Md(k.Expected)} | {Md(k.Actual)} | {Md(k.Message)} |\n");
            }
        }

        return md.ToString();
    }

    public static string Html(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Restore drill of ").Append(E(report.Job)).Append("</title>\n<style>")
            .Append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}")
            .Append(".ok{color:#176f2c}.fail{color:#b00020;font-weight:bold}</style></head><body>\n");
        h.Append(CultureInfo.InvariantCulture, $"<h1>Restore drill of job {E(report.Job)}: <span class=\"{(report.Passed ? "ok" : "fail")}\">{report.Status}</span></h1>\n");
        h.Append(CultureInfo.InvariantCulture, $"<p>Snapshot <code>{E(report.SnapshotId)}</code> of {Time(report.SnapshotTime)}; drilled {Time(report.StartedAt)} to {Time(report.FinishedAt)}; total recovery time {Seconds(report.TotalRtoSeconds)}.</p>\n");
        h.Append("<table><tr><th>component</th><th>type</th><th>result</th><th>restore</th><th>check</th><th>RTO</th><th>target</th></tr>\n");
        foreach (var c in report.Components)
        {
            h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(c.Name)}</td><td>{E(c.Type)}</td><td class=\"{Class(c.Passed)}\">{(c.Passed ? "passed" : "FAILED")}</td><td>{Seconds(c.RestoreSeconds)}</td><td>{Seconds(c.CheckSeconds)}</td><td class=\"{Class(c.RtoMet)}\">{Seconds(c.RtoSeconds)}</td><td>{Seconds(c.RtoTargetSeconds)}</td></tr>\n");
        }

        h.Append("</table>\n");
        foreach (var c in report.Components)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(c.Name)} ({E(c.Type)}): <span class=\"{Class(c.Passed)}\">{(c.Passed ? "passed" : "FAILED")}</span></h2>\n");
            if (c.Error is not null)
            {
                h.Append(CultureInfo.InvariantCulture, $"<p class=\"fail\">{E(c.Error)}</p>\n");
            }

            h.Append("<table><tr><th>check</th><th>result</th><th>recorded</th><th>restored</th><th>detail</th></tr>\n");
            foreach (var k in c.Checks)
            {
                h.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(k.Name)}</td><td class=\"{Class(k.Passed)}\">{(k.Passed ? "ok" : "FAILED")}</td><td>{E(k.Expected)}</td><td>{E(k.Actual)}</td><td>{E(k.Message)}</td></tr>\n");
            }

            h.Append("</table>\n");
        }

        return h.Append("</body></html>\n").ToString();
    }

    private static string Class(bool ok) => ok ? "ok" : "fail";

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>Table-safe Markdown: no line breaks, pipes and backticks escaped, HTML tags neutralised.</summary>
    private static string Md(string? text) => (text ?? string.Empty)
        .Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration for people: seconds with one decimal below two minutes, else minutes.</summary>
    public static string Seconds(double seconds) =>
        seconds < 120 ? seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s" : (seconds / 60).ToString("0.0", CultureInfo.InvariantCulture) + "min";
}
