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
            _timer = time.CreateTimer(_ => Draw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
        }
        else if (output.Json)
        {
            _timer = time.CreateTimer(_ => Status(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        }
    }

    private void Status() => _output.Line("status", new
    {
        seconds_elapsed = (long)_time.GetElapsedTime(_start).TotalSeconds,
        files_done = _progress.Files,
        bytes_done = _progress.Bytes,
        total_files = _progress.TotalFiles,
        total_bytes = _progress.TotalBytes,
        error_count = _progress.Errors,
    });

    private void Draw()
    {
        var elapsed = _time.GetElapsedTime(_start);
        var bytes = _progress.Bytes;
        var rate = elapsed.TotalSeconds > 0 ? bytes / elapsed.TotalSeconds : 0;
        var eta = _progress.TotalBytes > 0 && rate > 0 ? " ETA " + Units.Duration(TimeSpan.FromSeconds(Math.Max(0, (_progress.TotalBytes - bytes) / rate))) : string.Empty;
        var line = $"[{Units.Duration(elapsed)}] {_progress.Files} files, {Units.Bytes(bytes)}, {Units.Bytes((long)rate)}/s{eta}, {_progress.Errors} errors";
        Console.Error.Write("\r" + line.PadRight(Math.Min(Console.WindowWidth - 1, 100)));
        _drawn = true;
    }

    public void Stop()
    {
        _timer?.Dispose();
        if (_drawn)
        {
            Console.Error.Write("\r" + new string(' ', Math.Min(Console.WindowWidth - 1, 100)) + "\r");
            _drawn = false;
        }
    }

    public void Dispose() => Stop();
}
