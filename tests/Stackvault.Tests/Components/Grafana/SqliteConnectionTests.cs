using Stackvault.Components.Grafana;
using Stackvault.Errors;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Grafana;

public class SqliteConnectionTests
{
    [Fact]
    public void IsAvailable_SystemLibrary_TrueWithVersion()
    {
        Assert.True(Sqlite.IsAvailable, Sqlite.UnavailableReason);
        Assert.Matches(@"^3\.\d+\.\d+$", Sqlite.Version);
    }

    [Fact]
    public void Probe_MissingLibrary_NamesLibraryAndDebianPackage()
    {
        var reason = Sqlite.Probe("libsqlite3-missing.so.9");
        Assert.NotNull(reason);
        Assert.Contains("libsqlite3-missing.so.9", reason, StringComparison.Ordinal);
        Assert.Contains("libsqlite3-0", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void CreateInsertQuery_RoundTripsEveryType()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("a.db");
        using (var db = new SqliteConnection(path, SqliteOpenMode.ReadWriteCreate))
        {
            db.Execute("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB); -- comment\n CREATE INDEX ti ON t(i);  ");
            db.Execute("INSERT INTO t VALUES(?1, ?2, ?3, ?4)", 42L, 1.5, "héllo", new byte[] { 1, 2, 3 });
            db.Execute("INSERT INTO t VALUES(?1, ?2, ?3, ?4)", null, null, "", Array.Empty<byte>());
        }

        using var ro = new SqliteConnection(path, SqliteOpenMode.ReadOnly);
        Assert.Equal(path, ro.Path);
        var rows = ro.Query("SELECT i, r, s, b FROM t ORDER BY rowid");
        Assert.Equal(2, rows.Count);
        Assert.Equal(new object?[] { 42L, 1.5, "héllo", new byte[] { 1, 2, 3 } }, rows[0]);
        Assert.Null(rows[1][0]);
        Assert.Equal(string.Empty, rows[1][2]); // not NULL: an empty string stays empty
        Assert.Equal(2L, ro.ExecuteScalar("SELECT count(*) FROM t WHERE s IS NOT NULL"));
        Assert.Null(ro.ExecuteScalar("SELECT i FROM t WHERE 0"));
        var error = Assert.Throws<SqliteException>(() => ro.Execute("INSERT INTO t(i) VALUES(1)"));
        Assert.Contains("readonly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingFile_ClearErrorNamingIt()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("missing.db");
        var error = Assert.ThrowsAny<StackvaultException>(() => new SqliteConnection(path, SqliteOpenMode.ReadOnly));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        var native = Assert.Throws<SqliteException>(() => new SqliteConnection(dir.Sub("no/such/dir.db"), SqliteOpenMode.ReadWriteCreate));
        Assert.Equal(SqliteNative.CantOpen, native.PrimaryResultCode);
        Assert.Contains(dir.Sub("no/such/dir.db"), native.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotADatabase_ClearErrorNamingFile()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("grafana.ini");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("[security]\nsecret_key = SW2YcwTIb9zpOOhoPsMm\n", 200)));
        var error = Assert.Throws<SqliteException>(() => new SqliteConnection(path, SqliteOpenMode.ReadOnly));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a database", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsCorruption);
        Assert.DoesNotContain("SW2Y", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_NeverCarryTheSqlOrBoundValues()
    {
        using var dir = new TempDirectory();
        using var db = new SqliteConnection(dir.Sub("a.db"), SqliteOpenMode.ReadWriteCreate);
        db.Execute("CREATE TABLE api_key(key TEXT UNIQUE)");
        db.Execute("INSERT INTO api_key VALUES(?1)", "glsa_secret_value");
        var error = Assert.Throws<SqliteException>(() => db.Execute("INSERT INTO api_key VALUES(?1)", "glsa_secret_value"));
        Assert.Contains("UNIQUE", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("glsa_secret_value", error.Message, StringComparison.Ordinal);
        var syntax = Assert.Throws<SqliteException>(() => db.Execute("SELEC 'glsa_other_secret'"));
        Assert.Contains("syntax error", syntax.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("glsa_other_secret", syntax.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_PathThatLooksLikeUri_IsAPlainFile()
    {
        using var dir = new TempDirectory();
        var odd = System.IO.Path.Combine(dir.Path, "file:odd.db?mode=memory");
        using (var db = new SqliteConnection(odd, SqliteOpenMode.ReadWriteCreate))
        {
            db.Execute("CREATE TABLE t(x)");
        }

        Assert.True(File.Exists(odd));
    }

    [Fact]
    public async Task InterruptOn_CancelDuringLongQuery_OperationCanceled()
    {
        using var dir = new TempDirectory();
        using var db = new SqliteConnection(dir.Sub("a.db"), SqliteOpenMode.ReadWriteCreate);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using (db.InterruptOn(cancel.Token))
        {
            var query = Task.Run(() => db.ExecuteScalar("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n) SELECT count(*) FROM n"));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        Assert.Equal(1L, db.ExecuteScalar("SELECT 1")); // the connection is usable afterwards
    }

    [Fact]
    public void InterruptOn_TokenCancelledBeforeTheQueryStarts_OperationCanceled()
    {
        // A cancel that comes before the statement begins (a busy thread pool, a deadline just passed) must still end
        // it: sqlite3_interrupt with no statement running is lost, and this query would then run to its end (some
        // seconds; the test would fail on the missing exception rather than hang).
        using var dir = new TempDirectory();
        using var db = new SqliteConnection(dir.Sub("a.db"), SqliteOpenMode.ReadWriteCreate);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using (db.InterruptOn(cancel.Token))
        {
            Assert.ThrowsAny<OperationCanceledException>(() => db.ExecuteScalar("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n LIMIT 100000000) SELECT count(*) FROM n"));
        }

        Assert.Equal(100_000L, db.ExecuteScalar("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n LIMIT 100000) SELECT count(*) FROM n")); // the handler is gone with its registration
    }

    [Fact]
    public void Dispose_ThenUse_ObjectDisposed()
    {
        using var dir = new TempDirectory();
        var db = new SqliteConnection(dir.Sub("a.db"), SqliteOpenMode.ReadWriteCreate);
        db.Dispose();
        db.Dispose();
        Assert.Throws<ObjectDisposedException>(() => db.Execute("SELECT 1"));
    }
}
