using System.ComponentModel;
using System.Diagnostics;

namespace Stackvault.Jobs.Hooks;

/// <summary>
/// The docker CLI found on PATH, run with the process environment (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG pass
/// through). Returns stdout, or the failure as a sentence naming <c>docker VERB</c>, the exit code and the first
/// stderr line: never the command line (an exec label may hold a secret).
/// </summary>
internal static class DockerCli
{
    private const int MaxStderrLine = 500;

    public static async Task<(string? Output, string? Error)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("docker")
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
            return (null, $"docker could not start: {e.Message}");
        }

        if (started is null)
        {
            return (null, "docker could not start");
        }

        using var process = started;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = FirstLineAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var line = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0 ? (output, null)
            : (null, $"docker {arguments[0]} exited with code {process.ExitCode}" + (line.Length > 0 ? ": " + line : string.Empty));
    }

    private static async Task<string> FirstLineAsync(StreamReader stderr)
    {
        var first = await stderr.ReadLineAsync().ConfigureAwait(false) ?? string.Empty;
        var buffer = new char[4096];
        while (await stderr.ReadAsync(buffer).ConfigureAwait(false) > 0)
        {
        }

        return first.Length > MaxStderrLine ? first[..MaxStderrLine] : first.TrimEnd();
    }
}
