using System.ComponentModel;
using System.Diagnostics;

namespace Stackvault.Platform;

/// <summary>
/// Helper programs (hooks, the docker CLI, kubectl, command components): started without a shell, stdin closed,
/// killed with their children on cancellation, and their stderr reduced to its first line (at most
/// <see cref="MaxStderrLine"/> characters) for one-line messages; the rest is drained so a child never blocks on a
/// full pipe.
/// </summary>
internal static class ChildProcess
{
    public const int MaxStderrLine = 500;

    /// <summary>
    /// Runs <paramref name="program"/> to its end. <see cref="ChildProcessResult.StartError"/> is set (and nothing
    /// else) when it could not start; stdout is kept only with <paramref name="captureOutput"/>, else discarded.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(string program, IEnumerable<string> arguments, bool captureOutput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            return new ChildProcessResult(-1, string.Empty, string.Empty, e.Message);
        }

        if (started is null)
        {
            return new ChildProcessResult(-1, string.Empty, string.Empty, string.Empty);
        }

        using var process = started;
        process.StandardInput.Close();
        var stdout = captureOutput
            ? process.StandardOutput.ReadToEndAsync(CancellationToken.None)
            : process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None).ContinueWith(_ => string.Empty, TaskScheduler.Default);
        var stderr = FirstLineAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        return new ChildProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), null);
    }

    /// <summary>The first line of <paramref name="stderr"/>, cut to <see cref="MaxStderrLine"/>; reads the rest away.</summary>
    public static async Task<string> FirstLineAsync(StreamReader stderr)
    {
        var first = await stderr.ReadLineAsync().ConfigureAwait(false) ?? string.Empty;
        var buffer = new char[4096];
        while (await stderr.ReadAsync(buffer).ConfigureAwait(false) > 0)
        {
        }

        return first.Length > MaxStderrLine ? first[..MaxStderrLine] : first.TrimEnd();
    }

    /// <summary>Kills the process and its children; one that already exited is fine.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }
    }
}
