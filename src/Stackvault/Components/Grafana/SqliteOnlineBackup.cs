using System.Diagnostics;
using Stackvault.Errors;
using Stackvault.Platform;

namespace Stackvault.Components.Grafana;

/// <summary>
/// Copies a live SQLite database (Grafana's grafana.db) with SQLite's online backup API, without stopping its
/// writers. The copy is one consistent, self-contained file: the state of a single committed transaction, in
/// journal_mode DELETE, with no -wal or -shm beside it (the live database's -wal/-shm are never copied). It is
/// written under a temporary name in the destination's directory, checked (integrity_check and row counts),
/// fsynced, and only then renamed to the destination, which must not exist.
/// </summary>
public sealed class SqliteOnlineBackup(SqliteBackupOptions? options = null)
{
    private readonly SqliteBackupOptions _options = options ?? new SqliteBackupOptions();

    public async Task<SqliteBackupResult> RunAsync(string sourcePath, string destinationPath, CancellationToken cancellationToken = default)
    {
        _options.Validate();
        ArgumentException.ThrowIfNullOrEmpty(sourcePath);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var destination = Path.GetFullPath(destinationPath);
        if (File.Exists(destination) || Directory.Exists(destination))
        {
            throw new StackvaultException($"backup destination {destination} exists already; it is never overwritten");
        }

        var directory = Path.GetDirectoryName(destination)!;
        if (!Directory.Exists(directory))
        {
            throw new StackvaultException($"the directory of backup destination {destination} does not exist");
        }

        var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.partial-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        try
        {
            long pages;
            int steps, restarts;
            GrafanaDatabaseReport check;
            using (var target = new SqliteConnection(temp, SqliteOpenMode.ReadWriteCreate, _options.BusyTimeout))
            {
                using (var source = new SqliteConnection(sourcePath, SqliteOpenMode.ReadOnly, _options.BusyTimeout))
                {
                    (pages, steps, restarts) = await CopyAsync(source, target, clock, cancellationToken).ConfigureAwait(false);
                }

                // The backup copies page 1 as is, so a WAL-mode source leaves the copy in WAL mode: make it a
                // single self-contained file (this also checkpoints and deletes the copy's own -wal).
                if (target.ExecuteScalar("PRAGMA journal_mode = DELETE") is not "delete")
                {
                    throw new StackvaultException($"cannot switch the SQLite copy {temp} to journal_mode DELETE");
                }

                check = GrafanaDatabaseCheck.Inspect(target, cancellationToken);
            }

            using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite))
            {
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, destination, overwrite: false);
            Posix.FsyncDirectory(directory);
            return new SqliteBackupResult(destination, pages, new FileInfo(destination).Length, clock.Elapsed, steps, restarts,
                check with { DatabasePath = destination });
        }
        finally
        {
            foreach (var leftover in new[] { temp, temp + "-journal", temp + "-wal", temp + "-shm" })
            {
                File.Delete(leftover);
            }
        }
    }

    private async Task<(long Pages, int Steps, int Restarts)> CopyAsync(
        SqliteConnection source, SqliteConnection target, Stopwatch clock, CancellationToken cancellationToken)
    {
        nint backup = SqliteNative.BackupInit(target.Handle, "main", source.Handle, "main");
        if (backup == 0)
        {
            throw new SqliteException(source.Path, "backup_init", SqliteNative.ExtendedErrCode(target.Handle),
                SqliteNative.ErrorMessage(target.Handle, SqliteNative.Error));
        }

        int steps = 0, restarts = 0, stepPages = _options.RestartsBeforeSingleStep == 0 ? -1 : _options.PagesPerStep;
        long copied = 0, pages = 0;
        try
        {
            for (bool done = false; !done;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (clock.Elapsed > _options.Timeout)
                {
                    throw new StackvaultException($"online backup of SQLite database {source.Path} did not finish within "
                        + $"{_options.Timeout} ({steps} steps, {restarts} restarts because the database changed)");
                }

                int step = SqliteNative.BackupStep(backup, stepPages);
                pages = SqliteNative.BackupPageCount(backup);
                long now = pages - SqliteNative.BackupRemaining(backup);
                switch (SqliteNative.Primary(step))
                {
                    case SqliteNative.Done:
                        steps++;
                        done = true;
                        break;
                    case SqliteNative.Ok:
                        steps++;
                        if (now <= copied && ++restarts >= _options.RestartsBeforeSingleStep)
                        {
                            stepPages = -1; // the source keeps changing between steps: finish in one read transaction
                        }

                        copied = now;
                        await Task.Delay(_options.PauseBetweenSteps, cancellationToken).ConfigureAwait(false);
                        break;
                    case SqliteNative.Busy or SqliteNative.Locked:
                        await Task.Delay(_options.BusyRetryDelay, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw new SqliteException(source.Path, "backup_step", step, SqliteNative.ErrorString(step));
                }
            }
        }
        catch
        {
            Finish(backup, source, target);
            throw;
        }

        int rc = Finish(backup, source, target);
        return rc == SqliteNative.Ok ? (pages, steps, restarts)
            : throw new SqliteException(target.Path, "backup_finish", rc, SqliteNative.ErrorMessage(target.Handle, rc));
    }

    private static int Finish(nint backup, SqliteConnection source, SqliteConnection target)
    {
        int rc = SqliteNative.BackupFinish(backup);

        // The backup object points into both connections: keep them alive until it is finished.
        GC.KeepAlive(source);
        GC.KeepAlive(target);
        return rc;
    }
}
