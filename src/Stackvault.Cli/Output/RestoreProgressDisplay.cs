using Stackvault.Restore;

namespace Stackvault.Cli.Output;

/// <summary>
/// Restore progress: on a terminal a one-line bar on stderr (percent, bytes, rate, ETA); under --json a restic-shaped
/// <c>status</c> line every second and a last one at the end (<c>percent_done</c> 0..1, <c>files_restored</c>,
/// <c>bytes_restored</c>, totals, <c>seconds_remaining</c>).
/// </summary>
internal sealed class RestoreProgressDisplay : IDisposable
{
    private readonly CliOutput _output;
    private readonly RestoreProgress _progress;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly ITimer? _timer;
    private bool _drawn;

    public RestoreProgressDisplay(CliOutput output, RestoreProgress progress, TimeProvider time)
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
            _timer = time.CreateTimer(_ => Safely(Status), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A timer callback must never throw: an exception there would end the process mid-restore.</summary>
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

    private double? SecondsRemaining(double elapsed)
    {
        var bytes = _progress.Bytes;
        return _progress.TotalBytes > 0 && bytes > 0 && elapsed > 0 ? Math.Max(0, (_progress.TotalBytes - bytes) / (bytes / elapsed)) : null;
    }

    private void Status()
    {
        if (_progress.TotalFiles < 0)
        {
            return; // still planning
        }

        var elapsed = _time.GetElapsedTime(_start).TotalSeconds;
        _output.Line("status", new
        {
            seconds_elapsed = (long)elapsed,
            seconds_remaining = SecondsRemaining(elapsed) is { } remaining ? (long?)Math.Ceiling(remaining) : null,
            percent_done = Math.Round(_progress.Fraction, 4),
            total_files = _progress.TotalFiles,
            files_restored = _progress.Files,
            total_bytes = _progress.TotalBytes,
            bytes_restored = _progress.Bytes,
            error_count = _progress.Errors,
        });
    }

    private void Draw()
    {
        if (_progress.TotalFiles < 0)
        {
            return;
        }

        var elapsed = _time.GetElapsedTime(_start);
        var bytes = _progress.Bytes;
        var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
        var eta = SecondsRemaining(elapsed.TotalSeconds) is { } remaining ? " ETA " + Units.Duration(TimeSpan.FromSeconds(remaining)) : string.Empty;
        const int barWidth = 20;
        var filled = (int)(_progress.Fraction * barWidth);
        var line = $"[{new string('#', filled)}{new string('.', barWidth - filled)}] {_progress.Fraction * 100,5:0.0}% {Units.Bytes(bytes)} / {Units.Bytes(Math.Max(0, _progress.TotalBytes))}, " +
            $"{_progress.Files}/{_progress.TotalFiles} files, {Units.Bytes((long)rate)}/s{eta}";
        Console.Error.Write("\r" + line.PadRight(Width()));
        _drawn = true;
    }

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

        return width > 20 ? Math.Min(width - 1, 110) : 79;
    }

    /// <summary>Stops the timer; under --json writes the last status line (percent_done as reached).</summary>
    public void Stop(bool finished)
    {
        _timer?.Dispose();
        if (_drawn)
        {
            Console.Error.Write("\r" + new string(' ', Width()) + "\r");
            _drawn = false;
        }

        if (finished && _output.Json)
        {
            Status();
        }
    }

    public void Dispose() => Stop(finished: false);
}
