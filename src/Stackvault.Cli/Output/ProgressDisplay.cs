using Stackvault.Errors;
using Stackvault.Progress;

namespace Stackvault.Cli.Output;

/// <summary>
/// Progress of any long operation, on one reporter: on a terminal a one-line bar on stderr redrawn twice a second
/// (percent, bytes, rate, ETA, items); under --json a `status` line (restic's shape, with percent_done) every two
/// seconds (<see cref="IntervalVariable"/>) and a last one when the operation ends; nothing under --quiet or when
/// stderr is not a terminal.
/// Usage: <c>using var display = new ProgressDisplay(output, progress, time, "restore");</c> and
/// <c>display.Stop()</c> (or dispose) before printing the result.
/// </summary>
internal sealed class ProgressDisplay : IDisposable
{
    public static readonly TimeSpan DrawInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(2);

    /// <summary>Overrides <see cref="StatusInterval"/> (a duration: 500ms, 30s): fewer lines in a job's log, or more in a test.</summary>
    public const string IntervalVariable = "STACKVAULT_PROGRESS_INTERVAL";

    private readonly OperationProgress _progress;
    private readonly TimeProvider _time;
    private readonly string? _action;
    private readonly string _items;
    private readonly bool _restoreNames;
    private readonly TextWriter? _terminal;
    private readonly Action<ProgressStatus>? _status;
    private readonly long _start;
    private readonly ITimer? _timer;
    private readonly Lock _gate = new();
    private bool _drawn;
    private bool _stopped;

    /// <param name="output">Decides the mode: a bar when it shows progress, status lines under --json.</param>
    /// <param name="progress">The counters the operation updates.</param>
    /// <param name="time">The clock (a test's manual one).</param>
    /// <param name="action">What runs ("backup", "restore", "verify" ...): prefixes the bar, "action" in status lines.</param>
    /// <param name="items">What the operation counts besides bytes ("files", "packs"), named on the bar.</param>
    /// <param name="restoreNames">Status lines also carry restic's restore names, files_restored and bytes_restored.</param>
    /// <param name="statusOnStderr">Status lines go to stderr (when stdout carries data, as an export to stdout does).</param>
    public ProgressDisplay(CliOutput output, OperationProgress progress, TimeProvider time, string? action = null, string items = "files", bool restoreNames = false, bool statusOnStderr = false)
        : this(progress, time, action, output.ShowProgress ? Console.Error : null,
            output.ShowProgress || !output.Json ? null
                : statusOnStderr ? status => output.LineToStderr("status", status, CliJsonContext.Relaxed.ProgressStatus)
                : status => output.Line("status", status, CliJsonContext.Relaxed.ProgressStatus),
            items, restoreNames, Interval())
    {
    }

    /// <summary>The seam for tests: a bar goes to <paramref name="terminal"/>, status records to <paramref name="status"/>.</summary>
    internal ProgressDisplay(OperationProgress progress, TimeProvider time, string? action, TextWriter? terminal, Action<ProgressStatus>? status,
        string items = "files", bool restoreNames = false, TimeSpan? statusInterval = null)
    {
        _progress = progress;
        _time = time;
        _action = action;
        _items = items;
        _restoreNames = restoreNames;
        _terminal = terminal;
        _status = terminal is null ? status : null;
        _start = time.GetTimestamp();
        if (_terminal is not null)
        {
            _timer = time.CreateTimer(_ => Safely(Draw), null, DrawInterval, DrawInterval);
        }
        else if (_status is not null)
        {
            var interval = statusInterval ?? StatusInterval;
            _timer = time.CreateTimer(_ => Safely(Status), null, interval, interval);
        }
    }

    /// <summary>The status interval: <see cref="IntervalVariable"/> when set, else <see cref="StatusInterval"/>.</summary>
    internal static TimeSpan Interval()
    {
        if (Environment.GetEnvironmentVariable(IntervalVariable) is not { Length: > 0 } text)
        {
            return StatusInterval;
        }

        var interval = DurationOption.Parse(IntervalVariable, text, error => throw new UsageException(error));
        return interval > TimeSpan.Zero ? interval : throw new UsageException($"{IntervalVariable}: '{text}' must be more than 0 (e.g. 500ms, 30s)");
    }

    /// <summary>A timer callback must never throw: an exception there would end the process mid-operation.</summary>
    private static void Safely(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
        }
    }

    private void Status()
    {
        lock (_gate)
        {
            if (!_stopped)
            {
                _status!(ProgressFormat.Status(_action, _progress.Snapshot(), _time.GetElapsedTime(_start), _restoreNames));
            }
        }
    }

    private void Draw()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _terminal!.Write("\r" + ProgressFormat.Line(_action, _progress.Snapshot(), _time.GetElapsedTime(_start), Width(), _items));
            _terminal.Flush();
            _drawn = true;
        }
    }

    /// <summary>The terminal's width, capped; a terminal that reports none (0) gets 79 columns.</summary>
    private static int Width()
    {
        int width;
        try
        {
            width = Console.WindowWidth;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException)
        {
            width = 0;
        }

        return width > 20 ? Math.Min(width - 1, 120) : 79;
    }

    /// <summary>Ends the display: clears the bar, or writes the last status line under --json. Idempotent.</summary>
    public void Stop()
    {
        _timer?.Dispose();
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            if (_status is not null)
            {
                Safely(() => _status(ProgressFormat.Status(_action, _progress.Snapshot(), _time.GetElapsedTime(_start), _restoreNames)));
            }

            _stopped = true;
            if (_drawn)
            {
                Safely(() =>
                {
                    _terminal!.Write("\r" + new string(' ', Width()) + "\r");
                    _terminal.Flush();
                });
                _drawn = false;
            }
        }
    }

    public void Dispose() => Stop();
}
