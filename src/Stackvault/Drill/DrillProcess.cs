using System.Diagnostics;
using System.Text;
using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>Runs an engine tool (promtool) to its end with a timeout; its output is kept up to a bound.</summary>
internal static class DrillProcess
{
    private const int MaxOutputChars = 1 << 20;

    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new StackvaultException($"{program} could not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StackvaultException($"{program} could not start: {e.Message} (is it installed and on PATH?)", inner: e);
        }

        using (process)
        {
            var output = new StringBuilder();
            void Keep(string? line)
            {
                lock (output)
                {
                    if (line is not null && output.Length < MaxOutputChars)
                    {
                        output.AppendLine(line);
                    }
                }
            }

            process.OutputDataReceived += (_, e) => Keep(e.Data);
            process.ErrorDataReceived += (_, e) => Keep(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new StackvaultException($"{program} did not finish within {timeout.TotalSeconds:0}s");
            }

            lock (output)
            {
                return (process.ExitCode, output.ToString());
            }
        }
    }

    /// <summary>The first non-empty line of a tool's output, for one-line messages.</summary>
    public static string FirstLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no output)";
}
