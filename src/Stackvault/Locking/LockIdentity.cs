using Stackvault.Platform;

namespace Stackvault.Locking;

/// <summary>Who this process is, as written into lock objects and compared with them.</summary>
internal sealed record LockIdentity(string Hostname, int Pid, long ProcessStart, string PidNamespace, string Username)
{
    public static LockIdentity From(LockOptions options) => new(
        options.Hostname ?? Posix.HostName,
        options.Pid ?? Environment.ProcessId,
        options.ProcessStart ?? Posix.CurrentProcessStartTicks,
        options.PidNamespace ?? Posix.PidNamespace,
        options.Username ?? Posix.UserName);

    /// <summary>Same host and same pid namespace: only then do pids in the lock mean something here.</summary>
    public bool SharesProcessSpace(LockRecord r) =>
        string.Equals(r.Hostname, Hostname, StringComparison.OrdinalIgnoreCase) && r.PidNamespace == PidNamespace;

    /// <summary>True unless the process (pid + start ticks) that wrote the lock is certainly gone.</summary>
    public bool IsHolderAlive(LockRecord r)
    {
        if (r.Pid == Pid && r.ProcessStart == ProcessStart)
        {
            return true; // this process (or the identity a test gave it)
        }

        if (!Posix.IsProcessAlive(r.Pid))
        {
            return false;
        }

        // The pid runs; it is the holder unless its start time proves the pid was reused.
        var start = Posix.ProcessStartTicks(r.Pid);
        return start is null || r.ProcessStart == 0 || start == r.ProcessStart;
    }
}
