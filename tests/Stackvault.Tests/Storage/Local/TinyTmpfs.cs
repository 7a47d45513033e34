using System.Diagnostics;

namespace Stackvault.Tests.Storage.Local;

/// <summary>A 1 MiB tmpfs mounted on a temp directory (needs root and CAP_SYS_ADMIN); unmounted on dispose.</summary>
internal sealed class TinyTmpfs : IDisposable
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    private TinyTmpfs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here, or null when it can.</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    public static TinyTmpfs? TryMount(out string? error)
    {
        var dir = Directory.CreateTempSubdirectory("sv-tmpfs-").FullName;
        error = Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", dir);
        if (error is null)
        {
            return new TinyTmpfs(dir);
        }

        Directory.Delete(dir);
        return null;
    }

    public void Dispose()
    {
        _ = Run("umount", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static string? Probe()
    {
        using var fs = TryMount(out var error);
        return error;
    }

    private static string? Run(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? null : $"{file} failed ({process.ExitCode}): {stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"cannot run {file}: {e.Message}";
        }
    }
}
