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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
