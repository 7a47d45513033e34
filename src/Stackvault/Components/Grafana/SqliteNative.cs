using System.Runtime.InteropServices;

namespace Stackvault.Components.Grafana;

/// <summary>
/// P/Invoke declarations for the system SQLite library (libsqlite3.so.0, Debian libsqlite3-0). Names follow sqlite3.h.
/// Database and statement handles are SafeHandles, so a handle cannot be closed while a native call still uses it;
/// a backup handle is a plain pointer owned by <see cref="SqliteOnlineBackup"/> and always finished in a finally.
/// </summary>
internal static unsafe partial class SqliteNative
{
    public const string LibraryName = "libsqlite3.so.0";

    public const int Ok = 0;
    public const int Error = 1;
    public const int Busy = 5;
    public const int Locked = 6;
    public const int Interrupted = 9;
    public const int Corrupt = 11;
    public const int CantOpen = 14;
    public const int NotADatabase = 26;
    public const int Row = 100;
    public const int Done = 101;

    public const int OpenReadOnly = 0x00000001;
    public const int OpenReadWrite = 0x00000002;
    public const int OpenCreate = 0x00000004;
    public const int OpenFullMutex = 0x00010000;

    public const int TypeInteger = 1;
    public const int TypeFloat = 2;
    public const int TypeText = 3;
    public const int TypeBlob = 4;
    public const int TypeNull = 5;

    /// <summary>SQLITE_TRANSIENT: SQLite copies bound text and blobs before the call returns.</summary>
    public static readonly nint Transient = -1;

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_libversion")]
    public static partial byte* LibVersion();

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_open_v2", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenV2(string filename, out SqliteDatabaseHandle db, int flags, nint vfs);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_close_v2")]
    public static partial int CloseV2(nint db);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_errmsg")]
    public static partial byte* ErrMsg(SqliteDatabaseHandle db);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_errstr")]
    public static partial byte* ErrStr(int code);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_extended_errcode")]
    public static partial int ExtendedErrCode(SqliteDatabaseHandle db);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_busy_timeout")]
    public static partial int BusyTimeout(SqliteDatabaseHandle db, int milliseconds);

    /// <summary>
    /// Calls <paramref name="handler"/> every <paramref name="instructions"/> virtual machine instructions of a running
    /// statement; a non-zero answer ends it with SQLITE_INTERRUPT. A null handler (or 0 instructions) removes it.
    /// </summary>
    [LibraryImport(LibraryName, EntryPoint = "sqlite3_progress_handler")]
    public static partial void ProgressHandler(SqliteDatabaseHandle db, int instructions, delegate* unmanaged[Cdecl]<nint, int> handler, nint argument);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_prepare_v2")]
    public static partial int PrepareV2(SqliteDatabaseHandle db, byte* sql, int bytes, out SqliteStatementHandle statement, out byte* tail);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_step")]
    public static partial int Step(SqliteStatementHandle statement);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_finalize")]
    public static partial int Finalize(nint statement);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_parameter_count")]
    public static partial int BindParameterCount(SqliteStatementHandle statement);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_null")]
    public static partial int BindNull(SqliteStatementHandle statement, int index);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_int64")]
    public static partial int BindInt64(SqliteStatementHandle statement, int index, long value);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_double")]
    public static partial int BindDouble(SqliteStatementHandle statement, int index, double value);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_text")]
    public static partial int BindText(SqliteStatementHandle statement, int index, byte* text, int bytes, nint destructor);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_bind_blob")]
    public static partial int BindBlob(SqliteStatementHandle statement, int index, byte* blob, int bytes, nint destructor);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_count")]
    public static partial int ColumnCount(SqliteStatementHandle statement);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_type")]
    public static partial int ColumnType(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_int64")]
    public static partial long ColumnInt64(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_double")]
    public static partial double ColumnDouble(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_text")]
    public static partial byte* ColumnText(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_blob")]
    public static partial byte* ColumnBlob(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_column_bytes")]
    public static partial int ColumnBytes(SqliteStatementHandle statement, int column);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_backup_init", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint BackupInit(SqliteDatabaseHandle destination, string destinationName, SqliteDatabaseHandle source, string sourceName);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_backup_step")]
    public static partial int BackupStep(nint backup, int pages);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_backup_remaining")]
    public static partial int BackupRemaining(nint backup);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_backup_pagecount")]
    public static partial int BackupPageCount(nint backup);

    [LibraryImport(LibraryName, EntryPoint = "sqlite3_backup_finish")]
    public static partial int BackupFinish(nint backup);

    /// <summary>The primary result code of a possibly extended one (SQLITE_IOERR_READ -> SQLITE_IOERR).</summary>
    public static int Primary(int code) => code & 0xFF;

    /// <summary>SQLite's English text for a result code, e.g. "database is locked".</summary>
    public static string ErrorString(int code) => Marshal.PtrToStringUTF8((nint)ErrStr(code)) ?? $"SQLite error {code}";

    /// <summary>The most recent error message of a connection; falls back to the code's text.</summary>
    public static string ErrorMessage(SqliteDatabaseHandle db, int code) =>
        db.IsInvalid ? ErrorString(code) : Marshal.PtrToStringUTF8((nint)ErrMsg(db)) ?? ErrorString(code);
}
