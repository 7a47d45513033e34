using Stackvault.Errors;

namespace Stackvault.Components.Grafana;

/// <summary>
/// A failed SQLite call. The message names the database file, the operation and SQLite's own message; it never
/// carries the SQL text or bound values, which may hold data (Grafana's tables hold secrets).
/// </summary>
public sealed class SqliteException(string databasePath, string operation, int resultCode, string sqliteMessage)
    : StackvaultException($"SQLite {operation} failed for {databasePath}: {sqliteMessage} (SQLite result code {resultCode})")
{
    /// <summary>The database file the error is about.</summary>
    public string DatabasePath { get; } = databasePath;

    /// <summary>The extended SQLite result code, e.g. 26 (SQLITE_NOTADB).</summary>
    public int ResultCode { get; } = resultCode;

    /// <summary>The primary result code (the low byte of <see cref="ResultCode"/>).</summary>
    public int PrimaryResultCode => ResultCode & 0xFF;

    /// <summary>True when SQLite found the file corrupt or not a database.</summary>
    public bool IsCorruption => PrimaryResultCode is SqliteNative.Corrupt or SqliteNative.NotADatabase;
}
