using System.Runtime.InteropServices;
using Stackvault.Errors;

namespace Stackvault.Compression;

/// <summary>Facts about the system zstd library and a check that it can be loaded.</summary>
public static class Zstd
{
    private static readonly Lazy<string?> LoadError = new(() => Probe(ZstdNative.LibraryName));

    /// <summary>True when libzstd.so.1 can be loaded.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>The one-line reason libzstd.so.1 cannot be loaded, or null when it can.</summary>
    public static string? UnavailableReason => LoadError.Value;

    /// <summary>The library's version, e.g. "1.5.4".</summary>
    public static unsafe string Version
    {
        get
        {
            EnsureAvailable();
            return Marshal.PtrToStringUTF8((nint)ZstdNative.VersionString()) ?? string.Empty;
        }
    }

    /// <summary>Throws a <see cref="StackvaultException"/> with a one-line fix when libzstd.so.1 cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (LoadError.Value is { } reason)
        {
            throw new StackvaultException(reason);
        }
    }

    /// <summary>Tries to load the library; returns null on success, else the user-facing message.</summary>
    internal static string? Probe(string libraryName)
    {
        if (NativeLibrary.TryLoad(libraryName, typeof(Zstd).Assembly, null, out var handle)
            && NativeLibrary.TryGetExport(handle, "ZSTD_compressStream2", out _))
        {
            return null;
        }

        return $"cannot load the zstd library {libraryName} (1.4 or later): install the Debian package libzstd1 (apt-get install libzstd1)";
    }
}
