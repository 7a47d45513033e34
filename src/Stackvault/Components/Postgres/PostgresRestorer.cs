using System.Globalization;
using System.Text;
using Stackvault.Errors;

namespace Stackvault.Components.Postgres;

/// <summary>What a restore did: the database restored, and the old one kept aside when it was replaced.</summary>
public sealed record PostgresRestoreResult(string Database, string? PreviousDatabaseKeptAs, DumpFormat Format = DumpFormat.Custom);

/// <summary>
/// Restores a dump into a database: always into a new database <c>NAME_restore_&lt;ts&gt;</c>
/// (<c>CREATE DATABASE ... TEMPLATE template0</c>, then for a <c>pg_dump -Fc</c> file
/// <c>pg_restore --jobs N --no-owner --exit-on-error</c>, for plain SQL, gzipped or not, <see cref="PlainSqlLoader"/>:
/// <c>psql -v ON_ERROR_STOP=1</c> fed in-process; the format is told by content, <see cref="DumpFormats.Detect"/>; the
/// dump a local file or a file read out of a snapshot, <see cref="DumpSource"/>), and
/// only when that restored cleanly is it renamed to NAME. An existing NAME is replaced only with force: connections to
/// it are refused and terminated, then one transaction renames it to <c>NAME_pre_restore_&lt;ts&gt;</c> and the new
/// copy to NAME. On any failure the old database is untouched (connections allowed again) and the new one dropped.
/// </summary>
public sealed class PostgresRestorer(PostgresConnection connection, TimeProvider timeProvider)
{
    private const int MaxIdentifierBytes = 63;

    public Task<PostgresRestoreResult> RestoreAsync(string dumpFile, string targetDatabase, int jobs, bool force, CancellationToken cancellationToken) =>
        File.Exists(dumpFile)
            ? RestoreAsync(DumpSource.FromFile(dumpFile), targetDatabase, jobs, force, cancellationToken)
            : throw new UsageException($"the dump {dumpFile} does not exist");

    public async Task<PostgresRestoreResult> RestoreAsync(DumpSource dump, string targetDatabase, int jobs, bool force, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var admin = connection.MaintenanceDatabase;
        if (admin == targetDatabase)
        {
            throw new UsageException($"cannot restore into {targetDatabase}: it is the database the dsn connects to");
        }

        var format = DumpFormats.Detect(dump);
        var exists = await ExistsAsync(targetDatabase, cancellationToken).ConfigureAwait(false);
        if (exists && !force)
        {
            throw new UsageException($"the database {targetDatabase} exists; replacing it needs force");
        }

        var stamp = timeProvider.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var temporary = WithSuffix(targetDatabase, "_restore_" + stamp);
        var kept = WithSuffix(targetDatabase, "_pre_restore_" + stamp);
        await ExecuteAsync($"CREATE DATABASE {PostgresConnection.Identifier(temporary)} TEMPLATE template0", cancellationToken).ConfigureAwait(false);
        try
        {
            if (format == DumpFormat.Custom)
            {
                await PgRestoreAsync(dump, temporary, jobs, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PlainSqlLoader.LoadAsync(connection, temporary, dump, format == DumpFormat.GzipPlainSql, cancellationToken).ConfigureAwait(false);
            }

            if (!exists)
            {
                await ExecuteAsync($"ALTER DATABASE {PostgresConnection.Identifier(temporary)} RENAME TO {PostgresConnection.Identifier(targetDatabase)}", cancellationToken).ConfigureAwait(false);
                return new PostgresRestoreResult(targetDatabase, null, format);
            }

            await SwapAsync(targetDatabase, temporary, kept, cancellationToken).ConfigureAwait(false);
            return new PostgresRestoreResult(targetDatabase, kept, format);
        }
        catch (Exception e) when (e is IOException or StackvaultException or OperationCanceledException)
        {
            try
            {
                await ExecuteAsync($"DROP DATABASE IF EXISTS {PostgresConnection.Identifier(temporary)} WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException drop)
            {
                throw new StackvaultException($"restore into {targetDatabase} failed ({e.Message}); the temporary database {temporary} could not be dropped: {drop.Message}", e);
            }

            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new StackvaultException($"restore into {targetDatabase} failed, the existing database is untouched: {e.Message}", e);
        }
    }

    /// <summary>
    /// <c>pg_restore --jobs N</c> needs a file it can seek in: a custom-format dump read out of a snapshot is staged
    /// in a private temporary directory first, deleted afterwards whatever happened.
    /// </summary>
    private async Task PgRestoreAsync(DumpSource dump, string database, int jobs, CancellationToken cancellationToken)
    {
        var staging = dump.LocalPath is null ? Directory.CreateTempSubdirectory("stackvault-pg-restore-") : null;
        try
        {
            var file = dump.LocalPath ?? Path.Combine(staging!.FullName, "dump");
            if (staging is not null)
            {
                await using var source = dump.Open();
                await using var copy = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await source.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            }

            await connection.RunAsync("pg_restore", ["-w", "--no-owner", "--exit-on-error", "--jobs", jobs.ToString(CultureInfo.InvariantCulture), "--dbname", connection.ForDatabase(database), file], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            staging?.Delete(recursive: true);
        }
    }

    private async Task SwapAsync(string target, string temporary, string kept, CancellationToken cancellationToken)
    {
        var name = PostgresConnection.Identifier(target);
        await ExecuteAsync($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false", cancellationToken).ConfigureAwait(false);
        try
        {
            // A backend may still be starting when the first terminate runs: retry the rename a few times.
            for (var attempt = 1; ; attempt++)
            {
                await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = {PostgresConnection.Literal(target)} AND pid <> pg_backend_pid()", cancellationToken).ConfigureAwait(false);
                try
                {
                    await ExecuteAsync(
                        $"ALTER DATABASE {name} RENAME TO {PostgresConnection.Identifier(kept)}; " +
                        $"ALTER DATABASE {PostgresConnection.Identifier(temporary)} RENAME TO {name}; " +
                        $"ALTER DATABASE {PostgresConnection.Identifier(kept)} WITH ALLOW_CONNECTIONS true",
                        cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (IOException) when (attempt < 5)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            await ExecuteAsync($"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<bool> ExistsAsync(string database, CancellationToken cancellationToken) =>
        (await connection.QueryAsync(connection.MaintenanceDatabase, $"SELECT 1 FROM pg_database WHERE datname = {PostgresConnection.Literal(database)}", cancellationToken).ConfigureAwait(false)).Count > 0;

    private Task ExecuteAsync(string sql, CancellationToken cancellationToken) =>
        connection.QueryAsync(connection.MaintenanceDatabase, sql, cancellationToken);

    /// <summary><paramref name="name"/> + <paramref name="suffix"/>, the name shortened so the whole fits 63 bytes.</summary>
    private static string WithSuffix(string name, string suffix)
    {
        var room = MaxIdentifierBytes - Encoding.UTF8.GetByteCount(suffix);
        while (Encoding.UTF8.GetByteCount(name) > room)
        {
            name = name[..^1];
        }

        return name + suffix;
    }
}
