using System.Runtime.InteropServices;
using Stackvault.Errors;

namespace Stackvault.Components.Grafana;

/// <summary>Facts about the system SQLite library and a check that it can be loaded.</summary>
public static class Sqlite
{
    private static readonly Lazy<string?> LoadError = new(() => Probe(SqliteNative.LibraryName));

    /// <summary>True when libsqlite3.so.0 can be loaded and has the online backup API.</summary>
    public static bool IsAvailable => LoadError.Value is null;

    /// <summary>The one-line reason libsqlite3.so.0 cannot be loaded, or null when it can.</summary>
    public static string? UnavailableReason => LoadError.Value;

    /// <summary>The library's version, e.g. "3.40.1".</summary>
    public static unsafe string Version
    {
        get
        {
            EnsureAvailable();
            return Marshal.PtrToStringUTF8((nint)SqliteNative.LibVersion()) ?? string.Empty;
        }
    }

    /// <summary>Throws a <see cref="StackvaultException"/> with a one-line fix when libsqlite3.so.0 cannot be loaded.</summary>
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
        if (NativeLibrary.TryLoad(libraryName, typeof(Sqlite).Assembly, null, out var handle)
            && NativeLibrary.TryGetExport(handle, "sqlite3_backup_init", out _)
            && NativeLibrary.TryGetExport(handle, "sqlite3_close_v2", out _))
        {
            return null;
        }

        return $"cannot load the SQLite library {libraryName} (3.7.14 or later): install the Debian package libsqlite3-0 (apt-get install libsqlite3-0)";
    }
}
