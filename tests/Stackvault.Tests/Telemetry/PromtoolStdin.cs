using System.Diagnostics;

namespace Stackvault.Tests.Telemetry;

/// <summary><c>promtool check metrics</c> (which reads the exposition text on stdin): exit code and what it said.</summary>
internal static class PromtoolStdin
{
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string file)
    {
        var info = new ProcessStartInfo("/usr/bin/promtool") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(await File.ReadAllTextAsync(file));
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
