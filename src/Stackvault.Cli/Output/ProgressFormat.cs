using System.Globalization;
using System.Text;
using Stackvault.Progress;

namespace Stackvault.Cli.Output;

/// <summary>
/// What the progress display shows, as pure functions of the counters and the elapsed time: the terminal line
/// (bar, percent, bytes, rate, ETA) and the restic-shaped `status` record of --json.
/// </summary>
internal static class ProgressFormat
{
    private const int BarWidth = 10;

    /// <summary>Bytes per second over the whole run so far (steadier than an instant rate), or 0.</summary>
    public static double Rate(ProgressSnapshot s, TimeSpan elapsed) =>
        elapsed.TotalSeconds > 0 ? s.Bytes / elapsed.TotalSeconds : 0;

    /// <summary>Time left at the average rate, when a total is known and something has been done.</summary>
    public static TimeSpan? Remaining(ProgressSnapshot s, TimeSpan elapsed)
    {
        if (s.PercentDone is not { } done || elapsed <= TimeSpan.Zero)
        {
            return null;
        }

        if (done >= 1)
        {
            return TimeSpan.Zero;
        }

        return done <= 0 ? null : TimeSpan.FromSeconds(Math.Min(elapsed.TotalSeconds * (1 - done) / done, TimeSpan.FromDays(365).TotalSeconds));
    }

    /// <summary>"[0:12] 45.2% [####......] 1.20 GiB / 2.65 GiB, 98.10 MiB/s, ETA 0:15, 120 / 400 files".</summary>
    public static string Line(string? label, ProgressSnapshot s, TimeSpan elapsed, int width, string items = "files")
    {
        var line = new StringBuilder();
        line.Append('[').Append(Units.Duration(elapsed)).Append("] ");
        if (label is not null)
        {
            line.Append(label).Append(' ');
        }

        if (s.PercentDone is { } done)
        {
            line.Append((done * 100).ToString("0.0", CultureInfo.InvariantCulture)).Append("% ").Append(Bar(done)).Append(' ');
        }

        line.Append(Units.Bytes(s.Bytes));
        if (s.TotalBytes >= 0)
        {
            line.Append(" / ").Append(Units.Bytes(s.TotalBytes));
        }

        line.Append(", ").Append(Units.Bytes((long)Rate(s, elapsed))).Append("/s");
        if (Remaining(s, elapsed) is { } left)
        {
            line.Append(", ETA ").Append(Units.Duration(left));
        }

        line.Append(", ").Append(s.Files.ToString(CultureInfo.InvariantCulture));
        if (s.TotalFiles >= 0)
        {
            line.Append(" / ").Append(s.TotalFiles.ToString(CultureInfo.InvariantCulture));
        }

        line.Append(' ').Append(items);
        if (s.Errors > 0)
        {
            line.Append(", ").Append(s.Errors.ToString(CultureInfo.InvariantCulture)).Append(" errors");
        }

        var text = line.ToString();
        return text.Length > width ? text[..width] : text.PadRight(width);
    }

    public static string Bar(double done)
    {
        var filled = (int)Math.Round(Math.Clamp(done, 0, 1) * BarWidth, MidpointRounding.AwayFromZero);
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }

    /// <summary>
    /// The --json progress record, shaped like restic's: message_type "status" (added by the writer),
    /// percent_done 0..1, seconds_remaining and the totals only when known (never a -1 placeholder); with
    /// <paramref name="restoreNames"/> also restic's restore names for the counts done (files_restored, bytes_restored).
    /// </summary>
    public static ProgressStatus Status(string? action, ProgressSnapshot s, TimeSpan elapsed, bool restoreNames = false) => new(
        action,
        (long)elapsed.TotalSeconds,
        Remaining(s, elapsed) is { } left ? (long)Math.Ceiling(left.TotalSeconds) : null,
        s.PercentDone is { } percent ? Math.Round(percent, 4) : null,
        s.TotalFiles >= 0 ? s.TotalFiles : null,
        s.Files,
        s.TotalBytes >= 0 ? s.TotalBytes : null,
        s.Bytes,
        s.Errors,
        s.CurrentPath is { } path ? [path] : null,
        restoreNames ? s.Files : null,
        restoreNames ? s.Bytes : null);
}

/// <summary>One `status` line of --json output (snake_case on the wire).</summary>
internal sealed record ProgressStatus(
    string? Action,
    long SecondsElapsed,
    long? SecondsRemaining,
    double? PercentDone,
    long? TotalFiles,
    long FilesDone,
    long? TotalBytes,
    long BytesDone,
    long ErrorCount,
    string[]? CurrentFiles,
    long? FilesRestored = null,
    long? BytesRestored = null);
