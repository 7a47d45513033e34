using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Stackvault.Tests.Support;

/// <summary>
/// Signals for tests that interrupt or kill a running CLI, sent straight through libc: spawning kill(1) took long
/// enough for a fast run to finish first (CI failed that way). A signal that finds the process gone proves nothing,
/// so <see cref="TrySend"/> says whether the process was still running; the caller then starts over with more work.
/// </summary>
public static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>
    /// Sends <paramref name="signal"/> to <paramref name="process"/> if it is still running. False: it had exited, so
    /// nothing was signalled. (A process that exits in the instant between the check and the signal still gets it as a
    /// zombie and shows its normal exit code: callers treat exit 0 as "finished first" too.)
    /// </summary>
    public static bool TrySend(Process process, int signal) => !process.HasExited && SendSignal(process.Id, signal) == 0;

    /// <summary>The ids of <paramref name="pid"/>'s child processes (Linux <c>/proc/PID/task/*/children</c>); empty once it is gone.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            return Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(int.Parse)
                .ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>True while <paramref name="pid"/> exists and is not a zombie.</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal));
            return state is not null && !state.Contains("zombie", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// For a hang guard's message: the process's state, its ignored and caught signal masks (a SIGINT inherited as
    /// ignored, as under a non-interactive shell's <c>&amp;</c>, is never seen) and its children with their command lines.
    /// </summary>
    public static string Describe(int pid)
    {
        try
        {
            var status = File.ReadLines($"/proc/{pid}/status")
                .Where(line => line.StartsWith("State:", StringComparison.Ordinal) || line.StartsWith("SigIgn:", StringComparison.Ordinal) || line.StartsWith("SigCgt:", StringComparison.Ordinal))
                .Select(line => string.Join(' ', line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)));
            var children = Children(pid).Select(child => $"{child}:{CommandLine(child)}");
            return $"pid {pid}: {string.Join("; ", status)}; children [{string.Join(", ", children)}]";
        }
        catch (IOException)
        {
            return $"pid {pid}: gone";
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
