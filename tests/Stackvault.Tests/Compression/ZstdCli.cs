using System.Diagnostics;

namespace Stackvault.Tests.Compression;

/// <summary>Runs the system <c>zstd</c> tool on files, for interoperability tests.</summary>
internal static class ZstdCli
{
    public const string Path = "/usr/bin/zstd";

    public static async Task RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"zstd {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr}");
    }
}
