using System.Diagnostics;

namespace Stackvault.Tests.Support;

/// <summary>
/// Writes the scripts tests run as programs (stand-ins, wrappers) so that running one cannot fail with "Text file
/// busy". Tests run in parallel in one process, and a file this process has open for writing is inherited by every
/// child another test forks meanwhile, until that child's exec closes it; the kernel refuses to exec a file anyone
/// holds open for writing (ETXTBSY). Written here to a staging file and put in place by `install`, the script this
/// process runs was never open for writing in it (KubectlStandIn failed so in one CI run).
/// </summary>
internal static class ExecutableScript
{
    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, mode 0700.</summary>
    public static void Write(string path, string content)
    {
        var staged = path + ".staged-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(staged, content);
        try
        {
            var start = new ProcessStartInfo("install", ["-m", "0700", staged, path]) { RedirectStandardError = true };
            using var install = Process.Start(start) ?? throw new InvalidOperationException("install could not start");
            var error = install.StandardError.ReadToEnd();
            install.WaitForExit();
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException($"install {path} failed ({install.ExitCode}): {error}");
            }
        }
        finally
        {
            File.Delete(staged);
        }
    }
}
