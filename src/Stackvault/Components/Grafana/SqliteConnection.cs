using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Stackvault.Errors;

namespace Stackvault.Components.Grafana;

/// <summary>
/// A minimal connection to one SQLite database file through the system library. Not for concurrent use.
/// The path is always made absolute before it reaches SQLite, so it is never read as a "file:" URI (Debian builds
/// SQLite with SQLITE_USE_URI=1). Opening reads the schema once, so a file that is not a database fails here,
/// naming the file. Errors are <see cref="SqliteException"/>s that never include the SQL text or bound values.
/// </summary>
public sealed class SqliteConnection : IDisposable
{
    /// <summary>How often (in SQLite virtual machine instructions) a running statement looks at its cancellation.</summary>
    private const int ProgressInstructions = 10_000;

    private readonly SqliteDatabaseHandle _db;
    private CancellationToken _cancellation;

    public SqliteConnection(string path, SqliteOpenMode mode, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Sqlite.EnsureAvailable();
        Path = System.IO.Path.GetFullPath(path);
        if (mode != SqliteOpenMode.ReadWriteCreate && !File.Exists(Path))
        {
            throw new StackvaultException($"SQLite database {Path} does not exist or is not a regular file");
        }

        int flags = SqliteNative.OpenFullMutex | mode switch
        {
            SqliteOpenMode.ReadOnly => SqliteNative.OpenReadOnly,
            SqliteOpenMode.ReadWrite => SqliteNative.OpenReadWrite,
            _ => SqliteNative.OpenReadWrite | SqliteNative.OpenCreate,
        };
        int rc = SqliteNative.OpenV2(Path, out _db, flags, 0);
        try
        {
            Check(rc, "open");
            Check(SqliteNative.BusyTimeout(_db, (int)Math.Clamp((busyTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds, 0, int.MaxValue)), "busy_timeout");
            ExecuteScalar("SELECT count(*) FROM sqlite_master");
        }
        catch
        {
            _db.Dispose();
            throw;
        }
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    internal SqliteDatabaseHandle Handle => _db.IsClosed ? throw new ObjectDisposedException(nameof(SqliteConnection)) : _db;

    /// <summary>Runs every statement of <paramref name="sql"/>; parameters (?1, ?2, ...) need a single statement.</summary>
    public void Execute(string sql, params ReadOnlySpan<object?> parameters) => Run(sql, parameters, rows: null);

    /// <summary>Runs one statement and returns its rows; values are long, double, string, byte[] or null.</summary>
    public IReadOnlyList<object?[]> Query(string sql, params ReadOnlySpan<object?> parameters)
    {
        var rows = new List<object?[]>();
        Run(sql, parameters, rows);
        return rows;
    }

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public object? ExecuteScalar(string sql, params ReadOnlySpan<object?> parameters) =>
        Query(sql, parameters) is [var first, ..] && first.Length > 0 ? first[0] : null;

    /// <summary>
    /// Makes <paramref name="cancellationToken"/> end the statements run on this connection (they then throw
    /// <see cref="OperationCanceledException"/>), including one that starts after the token was cancelled: SQLite asks
    /// a progress handler every <see cref="ProgressInstructions"/> instructions, where sqlite3_interrupt from the
    /// token's callback would be lost if it came before the statement began. Dispose the result before the connection.
    /// </summary>
    public unsafe IDisposable InterruptOn(CancellationToken cancellationToken)
    {
        _cancellation = cancellationToken;
        var self = GCHandle.Alloc(this);
        SqliteNative.ProgressHandler(Handle, ProgressInstructions, &OnProgress, GCHandle.ToIntPtr(self));
        return new InterruptRegistration(this, self);
    }

    public void Dispose() => _db.Dispose();

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnProgress(nint connection) =>
        ((SqliteConnection)GCHandle.FromIntPtr(connection).Target!)._cancellation.IsCancellationRequested ? 1 : 0;

    /// <summary>Removes the progress handler (while the connection is open) and frees the handle it was given.</summary>
    private sealed class InterruptRegistration(SqliteConnection connection, GCHandle self) : IDisposable
    {
        private int _disposed;

        public unsafe void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            if (!connection._db.IsClosed)
            {
                SqliteNative.ProgressHandler(connection._db, 0, null, 0);
            }

            self.Free();
        }
    }

    private unsafe void Run(string sql, ReadOnlySpan<object?> parameters, List<object?[]>? rows)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var db = Handle;
        byte[] utf8 = Encoding.UTF8.GetBytes(sql);
        fixed (byte* start = utf8)
        {
            byte* next = start, end = start + utf8.Length;
            int statements = 0;
            while (next < end)
            {
                Check(SqliteNative.PrepareV2(db, next, (int)(end - next), out var statement, out var tail), "prepare");
                next = tail;
                using (statement)
                {
                    if (statement.IsInvalid)
                    {
                        continue; // only whitespace or comments were left
                    }

                    if (++statements > 1 && (parameters.Length > 0 || rows is not null))
                    {
                        throw new ArgumentException("parameters and rows need a single SQL statement", nameof(sql));
                    }

                    Bind(statement, parameters);
                    StepAll(statement, rows);
                }
            }
        }
    }

    private void Bind(SqliteStatementHandle statement, ReadOnlySpan<object?> parameters)
    {
        int expected = SqliteNative.BindParameterCount(statement);
        if (expected != parameters.Length)
        {
            throw new ArgumentException($"the statement has {expected} parameters, {parameters.Length} given", nameof(parameters));
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            Check(SqliteParameters.Bind(statement, i + 1, parameters[i]), "bind");
        }
    }

    private void StepAll(SqliteStatementHandle statement, List<object?[]>? rows)
    {
        while (true)
        {
            int rc = SqliteNative.Step(statement);
            if (rc == SqliteNative.Done)
            {
                return;
            }

            if (rc != SqliteNative.Row)
            {
                Check(rc, "step");
            }

            rows?.Add(SqliteParameters.ReadRow(statement));
        }
    }

    private void Check(int rc, string operation)
    {
        if (rc != SqliteNative.Ok)
        {
            if (SqliteNative.Primary(rc) == SqliteNative.Interrupted)
            {
                _cancellation.ThrowIfCancellationRequested();
            }

            int code = _db.IsInvalid || _db.IsClosed ? rc : SqliteNative.ExtendedErrCode(_db);
            string message = _db.IsClosed ? SqliteNative.ErrorString(rc) : SqliteNative.ErrorMessage(_db, rc);
            throw new SqliteException(Path, operation, code == SqliteNative.Ok ? rc : code, message);
        }
    }
}
