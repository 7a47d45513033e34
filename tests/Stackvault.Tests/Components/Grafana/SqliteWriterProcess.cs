using System.Diagnostics;

namespace Stackvault.Tests.Components.Grafana;

/// <summary>
/// A separate python3 process that writes to a SQLite database until it is stopped. Python's stdlib sqlite3 module links its own SQLite connection, so
/// this is a writer in another process, exactly as Grafana is during a backup.
/// </summary>
internal sealed class SqliteWriterProcess : IAsyncDisposable
{
    /// <summary>Commits one insert and one update per transaction until stopped; then prints the count.</summary>
    public const string ContinuousWriter = """
        import os, sqlite3, sys
        db, stop = sys.argv[1], sys.argv[2]
        c = sqlite3.connect(db, timeout=30, isolation_level=None)
        n = 0
        while not os.path.exists(stop):
            c.execute("BEGIN IMMEDIATE")
            c.execute("INSERT INTO t(payload) VALUES (randomblob(700))")
            c.execute("UPDATE t SET payload = randomblob(700) WHERE id = abs(random()) % 3000 + 1")
            c.execute("COMMIT")
            n += 1
            if n == 1:
                print("started", flush=True)
        c.close()
        print(n, flush=True)
        """;

    /// <summary>Holds one write transaction (an uncommitted insert) open until stopped, then rolls it back.</summary>
    public const string OpenTransaction = """
        import os, sqlite3, sys, time
        db, stop = sys.argv[1], sys.argv[2]
        c = sqlite3.connect(db, timeout=30, isolation_level=None)
        c.execute("BEGIN IMMEDIATE")
        c.execute("INSERT INTO dashboard(uid, title, data) VALUES ('uncommitted', 'x', '{}')")
        print("started", flush=True)
        while not os.path.exists(stop):
            time.sleep(0.01)
        c.execute("ROLLBACK")
        c.close()
        print(0, flush=True)
        """;

    private readonly Process _process;
    private readonly string _stopFile;

    private SqliteWriterProcess(Process process, string stopFile)
    {
        _process = process;
        _stopFile = stopFile;
    }

    /// <summary>Starts the writer and returns once its first transaction has committed.</summary>
    public static async Task<SqliteWriterProcess> StartAsync(string databasePath, string workDirectory, string script = ContinuousWriter)
    {
        var scriptPath = Path.Combine(workDirectory, "writer.py");
        await File.WriteAllTextAsync(scriptPath, script);
        var stopFile = Path.Combine(workDirectory, "writer.stop");
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(scriptPath);
        info.ArgumentList.Add(databasePath);
        info.ArgumentList.Add(stopFile);
        var process = Process.Start(info)!;
        var writer = new SqliteWriterProcess(process, stopFile);
        var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (first != "started")
        {
            var error = await process.StandardError.ReadToEndAsync();
            await writer.DisposeAsync();
            throw new InvalidOperationException($"the writer did not start: {first} {error}");
        }

        return writer;
    }

    /// <summary>Stops the writer and returns how many transactions it committed.</summary>
    public async Task<long> StopAsync()
    {
        await File.WriteAllTextAsync(_stopFile, "stop");
        var last = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(_process.ExitCode == 0, await _process.StandardError.ReadToEndAsync());
        return long.Parse(last!, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
