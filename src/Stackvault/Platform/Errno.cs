namespace Stackvault.Platform;

/// <summary>The errno values Stackvault reacts to (identical on x86_64 and aarch64 Linux).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOSPC = 28;
    public const int EMLINK = 31;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;
    public const int EDQUOT = 122;

    /// <summary>True when the exception is an I/O error with this errno (ours or one .NET raised on Unix).</summary>
    public static bool Is(Exception exception, int errno) => exception switch
    {
        PosixException p => p.Errno == errno,
        IOException io => io.HResult == errno,
        _ => false,
    };
}
