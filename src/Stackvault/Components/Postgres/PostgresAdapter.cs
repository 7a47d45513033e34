using System.Diagnostics;
using System.Globalization;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Postgres;

/// <summary>
/// <c>type: postgres</c>: per database <c>/&lt;name&gt;/&lt;db&gt;.dump</c> streamed from <c>pg_dump -Fc</c> (no
/// temporary file), plus <c>/&lt;name&gt;/globals.sql</c> from <c>pg_dumpall --globals-only</c>. The databases are
/// <c>databases</c>, else the DSN's <c>dbname</c>, else every database that allows connections (templates left out).
/// Without superuser rights the globals are dumped with <c>--no-role-passwords</c> (pg_authid is unreadable) and the
/// check <c>globals.role_passwords</c> is 0, so the section says what is missing instead of failing the component.
/// Checks, taken in the same exported snapshot (<c>pg_export_snapshot</c>, held open until the dumps are read) that
/// <c>pg_dump --snapshot</c> dumps, so they match the dump exactly even under concurrent writes:
/// <c>rows.&lt;schema&gt;.&lt;table&gt;</c> (exact <c>count(*)</c> up to <see cref="MaxExactCounts"/> tables, else
/// <c>rows_estimate.</c> from n_live_tup), prefixed by <c>&lt;db&gt;.</c> when more than one database is dumped.
/// </summary>
public sealed class PostgresAdapter : IComponentAdapter
{
    public const int MaxExactCounts = 50;

    public string Type => PostgresComponent.TypeName;

    public ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken) =>
        PrepareAsync(component, scratchDirectory, null, cancellationToken);

    /// <summary>
    /// <c>--only config</c> dumps the globals only: no exported snapshot, no pg_dump, no row counts. <c>--only data</c>
    /// dumps the databases only.
    /// </summary>
    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, ItemClass? only, CancellationToken cancellationToken)
    {
        var postgres = (PostgresComponent)component;
        var started = Stopwatch.GetTimestamp();
        if (postgres.Dsn.StartsWith("postgres://", StringComparison.Ordinal) || postgres.Dsn.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            throw new UsageException($"component {component.Name}: the dsn must be libpq key=value (host=... dbname=...), not a URI");
        }

        var connection = new PostgresConnection(postgres.Dsn, postgres.Password);
        var maintenance = connection.MaintenanceDatabase;
        var version = (await connection.QueryAsync(maintenance, "SHOW server_version", cancellationToken).ConfigureAwait(false)).Single()[0];
        var superuser = (await connection.QueryAsync(maintenance, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken).ConfigureAwait(false)).Single()[0] == "t";

        IReadOnlyList<string> databases = postgres.Databases.Count > 0 ? postgres.Databases
            : connection.Database is { } one ? [one]
            : [.. (await connection.QueryAsync(maintenance, "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname", cancellationToken).ConfigureAwait(false)).Select(r => r[0])];
        foreach (var database in databases)
        {
            if (database.Length == 0 || database is "." or ".." || database.Contains('/', StringComparison.Ordinal) || database == "globals")
            {
                throw new UsageException($"component {component.Name}: the database name \"{database}\" cannot be a file name in the snapshot");
            }
        }

        var snapshots = new Snapshots();
        try
        {
            var checks = new Dictionary<string, long>();
            if (only != ItemClass.Config)
            {
                checks["databases"] = databases.Count;
            }

            if (only != ItemClass.Data)
            {
                checks["globals.role_passwords"] = superuser ? 1 : 0;
            }

            var sources = new List<BackupSource>();
            foreach (var database in only == ItemClass.Config ? [] : databases)
            {
                var snapshot = await ExportedSnapshot.ExportAsync(connection, database, cancellationToken).ConfigureAwait(false);
                snapshots.Add(snapshot);
                var prefix = databases.Count > 1 ? database + "." : string.Empty;
                foreach (var (key, value) in await CountRowsAsync(connection, database, cancellationToken, snapshot.Id).ConfigureAwait(false))
                {
                    checks[prefix + key] = value;
                }

                string[] dump = ["-Fc", "-w", "--snapshot", snapshot.Id, "--dbname", connection.ForDatabase(database)];
                sources.Add(BackupSource.FromStream(ComponentPlan.PathIn(component, database + ".dump"), _ => Stream(connection, "pg_dump", dump)));
            }

            string[] globals = superuser
                ? ["--globals-only", "-w", "--dbname", connection.ForDatabase(maintenance)]
                : ["--globals-only", "--no-role-passwords", "-w", "--dbname", connection.ForDatabase(maintenance)];
            if (only != ItemClass.Data)
            {
                sources.Add(BackupSource.FromStream(ComponentPlan.PathIn(component, "globals.sql"), _ => Stream(connection, "pg_dumpall", globals)));
            }

            var section = ComponentPlan.NewSection(component, "pg_dump", postgres.Dsn);
            section.EngineVersion = version;
            section.Checks = checks;
            section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return new ComponentPlan(sources, section, snapshots);
        }
        catch
        {
            await snapshots.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The exported snapshots held open until the dumps are read (the plan's cleanup).</summary>
    private sealed class Snapshots : List<ExportedSnapshot>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var snapshot in this)
            {
                await snapshot.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Row counts of the user tables of <paramref name="database"/>: exact up to <see cref="MaxExactCounts"/> tables.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(PostgresConnection connection, string database, CancellationToken cancellationToken, string? snapshot = null)
    {
        var tables = await connection.QueryAsync(database, "SELECT schemaname, relname, n_live_tup FROM pg_stat_user_tables ORDER BY schemaname, relname", cancellationToken, snapshot).ConfigureAwait(false);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (tables.Count == 0)
        {
            return counts;
        }

        if (tables.Count > MaxExactCounts)
        {
            foreach (var row in tables)
            {
                counts[$"rows_estimate.{row[0]}.{row[1]}"] = long.Parse(row[2], CultureInfo.InvariantCulture);
            }

            return counts;
        }

        var sql = string.Join(" UNION ALL ", tables.Select((row, i) =>
            $"SELECT {i}, count(*) FROM {PostgresConnection.Identifier(row[0])}.{PostgresConnection.Identifier(row[1])}"));
        foreach (var row in await connection.QueryAsync(database, sql, cancellationToken, snapshot).ConfigureAwait(false))
        {
            var table = tables[int.Parse(row[0], CultureInfo.InvariantCulture)];
            counts[$"rows.{table[0]}.{table[1]}"] = long.Parse(row[1], CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static ValueTask<Stream> Stream(PostgresConnection connection, string program, IEnumerable<string> arguments)
    {
        var process = connection.Start(program, arguments);
        return ValueTask.FromResult<Stream>(new CommandOutputStream(process, program, timeout: null));
    }
}
