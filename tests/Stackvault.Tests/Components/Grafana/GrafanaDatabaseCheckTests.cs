using Stackvault.Components.Grafana;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Grafana;

public class GrafanaDatabaseCheckTests
{
    [Fact]
    public void Run_Grafana9Shape_CountsExistingTablesAndFoldersFromIsFolder()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(path);

        var report = GrafanaDatabaseCheck.Run(path);

        Assert.True(report.IsIntact, report.ToString());
        Assert.Equal(["ok"], report.IntegrityMessages);
        Assert.Equal(path, report.DatabasePath);
        Assert.Equal(
            new Dictionary<string, long> { ["alert_rule"] = 1, ["dashboard"] = 5, ["data_source"] = 2, ["folder"] = 2, ["org"] = 1, ["user"] = 4 },
            report.RowCounts);
        Assert.False(report.RowCounts.ContainsKey("api_key")); // missing tables are absent, not zero
        Assert.False(report.RowCounts.ContainsKey("migration_log")); // only Grafana's main tables are counted
        Assert.Equal("ok, alert_rule=1 dashboard=5 data_source=2 folder=2 org=1 user=4", report.ToString());
    }

    [Fact]
    public void Run_Grafana11Shape_FolderTableWins()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana11(path);

        var report = GrafanaDatabaseCheck.Run(path);

        Assert.True(report.IsIntact);
        Assert.Equal(3, report.RowCounts["folder"]);
        Assert.Equal(1, report.RowCounts["api_key"]);
        Assert.Equal(7, report.RowCounts.Count);
    }

    [Fact]
    public void Run_EmptyDatabase_IntactWithNoCounts()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("empty.db");
        using (var db = new SqliteConnection(path, SqliteOpenMode.ReadWriteCreate))
        {
            db.Execute("CREATE TABLE other(x)");
        }

        var report = GrafanaDatabaseCheck.Run(path);
        Assert.True(report.IsIntact);
        Assert.Empty(report.RowCounts);
    }

    [Fact]
    public void Run_PagesOverwrittenInTheMiddle_NotIntact()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana11(path);
        using (var db = new SqliteConnection(path, SqliteOpenMode.ReadWrite))
        {
            db.Execute("CREATE INDEX dashboard_title ON dashboard(title)");
            db.Execute("WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 2000) "
                + "INSERT INTO dashboard(uid, title, data) SELECT 'g' || v, 'T' || v, hex(randomblob(300)) FROM n");
        }

        long pageSize = 4096, pages = new FileInfo(path).Length / pageSize;
        Assert.True(pages > 100, $"{pages} pages");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            var garbage = new byte[pageSize * 3];
            new Random(7).NextBytes(garbage);
            file.Position = pages / 2 * pageSize;
            file.Write(garbage);
        }

        var report = GrafanaDatabaseCheck.Run(path);

        Assert.False(report.IsIntact);
        Assert.NotEmpty(report.IntegrityMessages);
        Assert.DoesNotContain("ok", report.IntegrityMessages);
        Assert.StartsWith("NOT OK: ", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CancelledToken_Throws()
    {
        using var dir = new TempDirectory();
        var path = dir.Sub("grafana.db");
        GrafanaSchema.CreateGrafana9(path);
        Assert.Throws<OperationCanceledException>(() => GrafanaDatabaseCheck.Run(path, new CancellationToken(canceled: true)));
    }
}
