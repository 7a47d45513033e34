using System.Diagnostics;
using System.Globalization;

namespace Stackvault.Tests.Hostile;

/// <summary>What a bounded child process did: exit code (null when it had to be killed), output, peak RSS, and why it was killed.</summary>
internal sealed record BoundedResult(int? ExitCode, string Stdout, string Stderr, long PeakRssBytes, string? Killed)
{
    public override string ToString() => $"exit {ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}{(Killed is null ? string.Empty : $" (killed: {Killed})")}, peak RSS {PeakRssBytes >> 20} MiB\nstdout: {Tail(Stdout)}\nstderr: {Tail(Stderr)}";

    private static string Tail(string text) => text.Length > 2000 ? "..." + text[^2000..] : text;
}

/// <summary>
/// Runs a process under a memory and a time bound without asserting wall-clock times: its peak RSS is sampled from
/// /proc/PID/status (VmHWM, the kernel's own high-water mark) every 20 ms and the process tree is killed as soon as it
/// passes the memory bound or the (generous) timeout, so a runaway case fails fast instead of taking the machine down.
/// </summary>
internal static class BoundedRun
{
    public static async Task<BoundedResult> RunAsync(ProcessStartInfo start, long maxRssBytes, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var peak = 0L;
        string? killed = null;
        var clock = Stopwatch.StartNew();
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakRss(process.Id));
            if (peak > maxRssBytes)
            {
                killed = $"peak RSS {peak >> 20} MiB above {maxRssBytes >> 20} MiB";
            }
            else if (clock.Elapsed > timeout)
            {
                killed = $"still running after {timeout.TotalSeconds:0} s";
            }

            if (killed is not null)
            {
                process.Kill(entireProcessTree: true);
                break;
            }

            await Task.WhenAny(process.WaitForExitAsync(), Task.Delay(20));
        }

        await process.WaitForExitAsync();
        return new BoundedResult(killed is null ? process.ExitCode : null, await stdout, await stderr, peak, killed);
    }

    /// <summary>VmHWM of a live process in bytes; 0 once it is gone.</summary>
    private static long PeakRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
