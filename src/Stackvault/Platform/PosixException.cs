namespace Stackvault.Platform;

/// <summary>
/// A failed libc call: the message carries strerror's text and the path; <see cref="Errno"/> the raw errno
/// (also stored in <see cref="Exception.HResult"/>, as .NET does for its own Unix I/O errors).
/// </summary>
public sealed class PosixException : IOException
{
    public PosixException(string message, int errno)
        : base(message, errno)
    {
        Errno = errno;
    }

    public int Errno { get; }
}
