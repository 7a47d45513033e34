using Stackvault.Backup;

namespace Stackvault.Cli.Output;

/// <summary>A one-line progress bar on stderr (files, bytes, rate, ETA when totals are known), only on a terminal.</summary>
internal sealed class ProgressDisplay : IDisposable
{
    private readonly CliOutput _output;
    private readonly BackupProgress _progress;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly ITimer? _timer;
    private bool _drawn;

    public ProgressDisplay(CliOutput output, BackupProgress progress, TimeProvider time)
    {
        _output = output;
        _progress = progress;
        _time = time;
        _start = time.GetTimestamp();
        if (output.ShowProgress)
        {
            _timer = time.CreateTimer(_ => Safely(Draw), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }
        else if (output.Json)
        {
            _timer = time.CreateTimer(_ => Safely(Status), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>A timer callback must never throw: an exception there would end the process mid-backup.</summary>
    private static void Safely(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException)
        {
        }
    }

    /// <summary>restic's status line: totals and <c>percent_done</c> only once they are known (never a -1 placeholder).</summary>
    private void Status()
    {
        var line = new Dictionary<string, object>
        {
            ["seconds_elapsed"] = (long)_time.GetElapsedTime(_start).TotalSeconds,
        };
        if (_progress.TotalBytes > 0)
        {
            line["percent_done"] = Math.Clamp((double)_progress.Bytes / _progress.TotalBytes, 0, 1);
        }

        if (_progress.TotalFiles >= 0)
        {
            line["total_files"] = _progress.TotalFiles;
        }

        line["files_done"] = _progress.Files;
        if (_progress.TotalBytes >= 0)
        {
            line["total_bytes"] = _progress.TotalBytes;
        }

        line["bytes_done"] = _progress.Bytes;
        line["error_count"] = _progress.Errors;
        _output.Line("status", line);
    }

    private void Draw()
    {
        var elapsed = _time.GetElapsedTime(_start);
        var bytes = _progress.Bytes;
        var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
        var eta = _progress.TotalBytes > 0 && rate > 0 ? " ETA " + Units.Duration(TimeSpan.FromSeconds(Math.Max(0, (_progress.TotalBytes - bytes) / rate))) : string.Empty;
        var line = $"[{Units.Duration(elapsed)}] {_progress.Files} files, {Units.Bytes(bytes)}, {Units.Bytes((long)rate)}/s{eta}, {_progress.Errors} errors";
        Console.Error.Write("\r" + line.PadRight(Width()));
        _drawn = true;
    }

    /// <summary>The terminal's width, capped; a terminal that reports none (0) gets 79 columns.</summary>
    private static int Width()
    {
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (IOException)
        {
            width = 0;
        }

        return width > 20 ? Math.Min(width - 1, 100) : 79;
    }

    public void Stop()
    {
        _timer?.Dispose();
        if (_drawn)
        {
            Console.Error.Write("\r" + new string(' ', Width()) + "\r");
            _drawn = false;
        }
    }

    public void Dispose() => Stop();
}
