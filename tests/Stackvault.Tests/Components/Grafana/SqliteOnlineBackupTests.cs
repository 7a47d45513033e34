using Stackvault.Components.Grafana;
using Stackvault.Errors;
using Stackvault.Tests.Support;
using Xunit.Abstractions;

namespace Stackvault.Tests.Components.Grafana;

public class SqliteOnlineBackupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_WalDatabaseWrittenByAnotherProcess_ConsistentSelfContainedCopy()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        using (var db = new SqliteConnection(source, SqliteOpenMode.ReadWriteCreate))
        {
            Assert.Equal("wal", db.ExecuteScalar("PRAGMA journal_mode = WAL"));
            db.Execute("CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB)");
            db.Execute("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 3000) "
                + "INSERT INTO t(payload) SELECT randomblob(1000) FROM n");
        }

        await using var writer = await SqliteWriterProcess.StartAsync(source, dir.Path);
        long committedBefore, maxIdBefore;
        using (var probe = new SqliteConnection(source, SqliteOpenMode.ReadOnly))
        {
            committedBefore = (long)probe.ExecuteScalar("SELECT count(*) FROM t")!;
            maxIdBefore = (long)probe.ExecuteScalar("SELECT max(id) FROM t")!;
        }

        var options = new SqliteBackupOptions { PagesPerStep = 16, PauseBetweenSteps = TimeSpan.FromMilliseconds(2) };
        var result = await new SqliteOnlineBackup(options).RunAsync(source, dir.Sub("copy.db"));
        Assert.True(File.Exists(source + "-wal"), "the live database had a -wal file during the backup");
        long transactions = await writer.StopAsync();
        output.WriteLine($"{result.Pages} pages, {result.Steps} steps, {result.Restarts} restarts, {result.Duration.TotalMilliseconds:F0} ms; "
            + $"{committedBefore} rows before, writer committed {transactions} transactions");

        Assert.True(result.IsIntact, result.Check.ToString());
        Assert.True(result.Restarts >= 1, $"the writer changed the source during the copy ({result.Steps} steps)");
        Assert.True(transactions > 1, $"{transactions} writer transactions");
        Assert.Equal(result.Bytes, result.Pages * 4096);
        Assert.True(result.Duration > TimeSpan.Zero);

        // The copy alone, with no -wal or -shm beside it, is the whole database.
        var alone = Directory.CreateDirectory(dir.Sub("alone")).FullName;
        var copy = Path.Combine(alone, "grafana.db");
        File.Move(result.DestinationPath, copy);
        Assert.Equal([copy], Directory.GetFiles(alone));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.Contains(".partial-", StringComparison.Ordinal));
        var header = File.ReadAllBytes(copy).AsSpan(0, 20).ToArray();
        Assert.Equal((byte)1, header[18]); // file format write version 1: rollback journal, not WAL
        Assert.Equal((byte)1, header[19]);
        using (var db = new SqliteConnection(copy, SqliteOpenMode.ReadOnly))
        {
            Assert.Equal("delete", db.ExecuteScalar("PRAGMA journal_mode"));
            Assert.Equal("ok", db.ExecuteScalar("PRAGMA integrity_check"));
            long count = (long)db.ExecuteScalar("SELECT count(*) FROM t")!;
            Assert.True(count >= committedBefore, $"{count} rows in the copy, {committedBefore} committed before");
            Assert.Equal(maxIdBefore, db.ExecuteScalar("SELECT count(*) FROM t WHERE id <= ?1", maxIdBefore));
            Assert.Equal(count, db.ExecuteScalar("SELECT max(id) FROM t")); // one transaction's state: no gaps
            Assert.Equal(0L, db.ExecuteScalar("SELECT count(*) FROM t WHERE length(payload) NOT IN (700, 1000)"));
        }

        Assert.Equal([copy], Directory.GetFiles(alone));
    }

    [Fact]
    public async Task RunAsync_GrafanaShapedDatabase_ReportsCountsOfTheCopy()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana11(source, journalMode: "WAL");
        var destination = dir.Sub("out/grafana.db");
        Directory.CreateDirectory(dir.Sub("out"));

        var result = await new SqliteOnlineBackup().RunAsync(source, destination);

        Assert.Equal(destination, result.DestinationPath);
        Assert.Equal(destination, result.Check.DatabasePath);
        Assert.True(result.IsIntact);
        Assert.Equal(1, result.Steps); // a small database fits in one step of 1024 pages
        Assert.Equal(0, result.Restarts);
        Assert.Equal(new FileInfo(destination).Length, result.Bytes);
        Assert.Equal(GrafanaDatabaseCheck.Run(destination).RowCounts, result.Check.RowCounts);
        Assert.Equal(5, result.Check.RowCounts["dashboard"]);
        Assert.Equal(3, result.Check.RowCounts["folder"]);
        Assert.Equal([destination], Directory.GetFiles(dir.Sub("out")));
    }

    [Fact]
    public async Task RunAsync_RollbackJournalWithWriteTransactionOpenInAnotherProcess_CopiesCommittedStateOnly()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(source); // Grafana's default: journal_mode DELETE
        await using var writer = await SqliteWriterProcess.StartAsync(source, dir.Path, SqliteWriterProcess.OpenTransaction);

        var result = await new SqliteOnlineBackup().RunAsync(source, dir.Sub("copy.db"));
        Assert.True(File.Exists(source + "-journal"), "the other process's write transaction was still open");
        await writer.StopAsync();

        Assert.True(result.IsIntact);
        Assert.Equal(5, result.Check.RowCounts["dashboard"]);
        using var db = new SqliteConnection(result.DestinationPath, SqliteOpenMode.ReadOnly);
        Assert.Equal(0L, db.ExecuteScalar("SELECT count(*) FROM dashboard WHERE uid = 'uncommitted'"));
    }

    [Fact]
    public async Task RunAsync_DoesNotFinishInTime_ClearErrorAndLeavesNothing()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(source);
        using (var db = new SqliteConnection(source, SqliteOpenMode.ReadWrite))
        {
            db.Execute("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 500) "
                + "INSERT INTO dashboard(uid, title, data) SELECT 'g' || v, 'T' || v, hex(randomblob(1000)) FROM n");
        }

        // About 250 pages in steps of 4 with 50 ms pauses cannot finish within 200 ms.
        var options = new SqliteBackupOptions { PagesPerStep = 4, PauseBetweenSteps = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromMilliseconds(200) };
        var error = await Assert.ThrowsAnyAsync<StackvaultException>(() => new SqliteOnlineBackup(options).RunAsync(source, dir.Sub("copy.db")));

        Assert.Contains(source, error.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
        Assert.Equal([source], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task RunAsync_DestinationExists_RefusesAndKeepsIt()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(source);
        var destination = dir.Sub("copy.db");
        await File.WriteAllTextAsync(destination, "previous");

        var error = await Assert.ThrowsAnyAsync<StackvaultException>(() => new SqliteOnlineBackup().RunAsync(source, destination));

        Assert.Contains(destination, error.Message, StringComparison.Ordinal);
        Assert.Equal("previous", await File.ReadAllTextAsync(destination));
    }

    [Fact]
    public async Task RunAsync_SourceNotADatabase_ErrorNamesSourceAndLeavesNothing()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.ini");
        await File.WriteAllTextAsync(source, new string('x', 8192));

        var error = await Assert.ThrowsAsync<SqliteException>(() => new SqliteOnlineBackup().RunAsync(source, dir.Sub("copy.db")));

        Assert.Contains(source, error.Message, StringComparison.Ordinal);
        Assert.Equal([source], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task RunAsync_Cancelled_ThrowsAndLeavesNothing()
    {
        using var dir = new TempDirectory();
        var source = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(source);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new SqliteOnlineBackup().RunAsync(source, dir.Sub("copy.db"), new CancellationToken(canceled: true)));

        Assert.Equal([source], Directory.GetFiles(dir.Path));
    }
}
