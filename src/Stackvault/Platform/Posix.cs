using System.Globalization;
using System.Runtime.InteropServices;

namespace Stackvault.Platform;

/// <summary>
/// A thin, checked layer over the libc calls Stackvault needs on Linux (x86_64 and aarch64).
/// Every failure raises <see cref="PosixException"/> (an IOException) with strerror's text, the call and the path.
/// </summary>
public static unsafe class Posix
{
    private static readonly Lazy<long?> OwnStartTicks = new(() => ProcessStartTicks(Environment.ProcessId));

    /// <summary>The host name, as locks record it.</summary>
    public static string HostName => Environment.MachineName;

    /// <summary>The user name the process runs as.</summary>
    public static string UserName => Environment.UserName;

    /// <summary>The start time (clock ticks since boot) of this process; 0 when /proc is unavailable.</summary>
    public static long CurrentProcessStartTicks => OwnStartTicks.Value ?? 0;

    /// <summary>The pid namespace of this process, e.g. <c>pid:[4026531836]</c>; empty when unknown.</summary>
    public static string PidNamespace
    {
        get
        {
            try
            {
                return new FileInfo("/proc/self/ns/pid").LinkTarget ?? string.Empty;
            }
            catch (IOException)
            {
                return string.Empty;
            }
            catch (UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }
    }

    /// <summary>lstat(2): the status of the path itself (a symlink is not followed).</summary>
    public static FileStatus LStat(string path)
    {
        var buffer = stackalloc byte[StatLayout.BufferSize];
        Check(LibC.LStat(path, buffer), "lstat", path);
        return StatLayout.Decode(new ReadOnlySpan<byte>(buffer, StatLayout.BufferSize), RuntimeInformation.ProcessArchitecture);
    }

    /// <summary>lchown(2): changes the owner of the path itself (a symlink is not followed).</summary>
    public static void LChown(string path, uint uid, uint gid) => Check(LibC.LChown(path, uid, gid), "lchown", path);

    /// <summary>utimensat(2): sets both the access and the modification time to <paramref name="mtimeNs"/>.</summary>
    public static void SetTimes(string path, long mtimeNs, bool followSymlinks = false)
    {
        var times = stackalloc LibC.TimeSpec[2];
        var seconds = Math.DivRem(mtimeNs, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }

        times[0] = new LibC.TimeSpec { Seconds = seconds, Nanoseconds = nanos };
        times[1] = times[0];
        var flags = followSymlinks ? 0 : LibC.AtSymlinkNoFollow;
        Check(LibC.UTimeNsAt(LibC.AtFdCwd, path, times, flags), "utimensat", path);
    }

    /// <summary>chmod(2): sets the permission bits (follows symlinks).</summary>
    public static void Chmod(string path, uint mode) => Check(LibC.Chmod(path, mode), "chmod", path);

    /// <summary>mkfifo(3): creates a named pipe with the mode (before the umask).</summary>
    public static void MkFifo(string path, uint mode) => Check(LibC.MkFifo(path, mode), "mkfifo", path);

    /// <summary>link(2): creates a hard link; fails with EEXIST when <paramref name="newPath"/> exists.</summary>
    public static void Link(string existing, string newPath) => Check(LibC.Link(existing, newPath), "link", newPath);

    /// <summary>Opens the directory read-only and fsyncs it, making renames, links and unlinks in it durable.</summary>
    public static void FsyncDirectory(string path)
    {
        int fd;
        do
        {
            fd = LibC.Open(path, LibC.OReadOnly | LibC.OCloExec, 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        Check(fd, "open", path);
        try
        {
            Check(LibC.FSync(fd), "fsync", path);
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    /// <summary>getuid(2).</summary>
    public static uint GetUid() => LibC.GetUid();

    /// <summary>kill(pid, 0): true when the process exists (also when we may not signal it: EPERM).</summary>
    public static bool IsProcessAlive(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (LibC.Kill(pid, 0) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            Errno.EPERM => true,
            Errno.ESRCH => false,
            _ => throw Error(errno, "kill", $"pid {pid}"),
        };
    }

    /// <summary>Field 22 (starttime, clock ticks after boot) of /proc/&lt;pid&gt;/stat; null when the process is absent.</summary>
    public static long? ProcessStartTicks(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return ParseStartTicks(text);
    }

    /// <summary>Parses starttime from a /proc/&lt;pid&gt;/stat line; the command name may contain spaces and ')'.</summary>
    internal static long? ParseStartTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        // After ") " come field 3 (state) onwards, so starttime (field 22) is the 20th of them.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 20 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;
    }

    private static void Check(int result, string call, string path)
    {
        if (result < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), call, path);
        }
    }

    private static PosixException Error(int errno, string call, string what) =>
        new($"{call} {what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
}
