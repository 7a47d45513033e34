using System.Diagnostics;
using Microsoft.Data.Sqlite;
using SqliteOnlineBackup = Stackvault.Components.Grafana.SqliteOnlineBackup;

// Measures how long a writer in another process waits to commit while a backup of the live database runs:
// Microsoft.Data.Sqlite's BackupDatabase against Stackvault's stepwise online backup (P/Invoke), in rollback-journal
// and WAL mode (docs/design.md section 20). Usage: dotnet run -c Release --project bench/sqlite-backup -- MB
var megabytes = int.Parse(args[0]);
var work = Directory.CreateTempSubdirectory("sqlmeasure").FullName;
foreach (var mode in new[] { "delete", "wal" })
{
    foreach (var method in new[] { "Microsoft.Data.Sqlite BackupDatabase", "Stackvault SqliteOnlineBackup" })
    {
        var db = Path.Combine(work, $"g-{mode}-{method.Length}.db");
        using (var c = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"PRAGMA journal_mode={mode}; CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB); "
                + $"WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < {megabytes * 1000}) INSERT INTO t(payload) SELECT randomblob(1000) FROM n;";
            cmd.ExecuteNonQuery();
        }

        var stop = Path.Combine(work, "stop");
        var result = Path.Combine(work, "result");
        File.Delete(stop);
        var writer = Process.Start(new ProcessStartInfo("python3", [Path.Combine(AppContext.BaseDirectory, "writer.py"), db, stop, result]) { RedirectStandardOutput = true })!;
        await writer.StandardOutput.ReadLineAsync();
        await Task.Delay(500);
        var copy = Path.Combine(work, $"copy-{Guid.NewGuid():N}.db");
        var clock = Stopwatch.StartNew();
        if (method.StartsWith("Microsoft", StringComparison.Ordinal))
        {
            using var source = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
            using var target = new SqliteConnection($"Data Source={copy};Pooling=False");
            source.Open();
            target.Open();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    source.BackupDatabase(target);
                    Console.Write($"[{attempt} attempt(s)] ");
                    break;
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 1000)
                {
                    await Task.Delay(50);
                }
            }
        }
        else
        {
            await new SqliteOnlineBackup().RunAsync(db, copy);
        }

        var took = clock.Elapsed;
        await Task.Delay(500);
        File.WriteAllText(stop, "");
        await writer.WaitForExitAsync();
        var parts = File.ReadAllText(result).Split(' ');
        Console.WriteLine($"{mode,-6} {method,-38} copy {took.TotalMilliseconds,7:F0} ms | writer commits {parts[0],5}, median {parts[1]} ms, p99 {parts[2]} ms, max {parts[3].Trim()} ms");
        foreach (var f in Directory.GetFiles(work))
        {
            File.Delete(f);
        }
    }
}

Directory.Delete(work, true);
