using Stackvault.Configuration;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Postgres;

/// <summary>
/// A live restore of a postgres component: each <c>/&lt;db&gt;.dump</c> goes through <see cref="PostgresRestorer"/>
/// (into a new database, renamed in only when it restored cleanly) over the component's DSN pointed at the
/// <c>postgres</c> database (<see cref="LivePostgres"/>); a replaced database is kept as <c>&lt;db&gt;_pre_restore_&lt;time&gt;</c>.
/// </summary>
internal sealed class PostgresDatabaseRestore : IDatabaseRestore
{
    public string RollbackAdvice => $"a PostgreSQL restore keeps the previous database as {KeptName("<db>", "<time>")}: rename or drop it with SQL";

    public string KeptName(string database, string time) => $"{database}_pre_restore_{time}";

    public string? DatabaseOf(string relative) =>
        relative.LastIndexOf('/') == 0 && relative.EndsWith(PostgresEngine.DumpExtension, StringComparison.Ordinal) ? Path.GetFileNameWithoutExtension(relative) : null;

    public async Task<bool> ExistsAsync(ComponentConfig component, string database, CancellationToken cancellationToken)
    {
        var connection = LivePostgres.Admin((PostgresComponent)component);
        var rows = await connection.QueryAsync(connection.MaintenanceDatabase, $"SELECT 1 FROM pg_database WHERE datname = {PostgresConnection.Literal(database)}", cancellationToken).ConfigureAwait(false);
        return rows.Count > 0;
    }

    public async Task<(string Database, string? KeptAs)> RestoreAsync(ComponentConfig component, string dumpFile, string database, int jobs, bool force, TimeProvider time, CancellationToken cancellationToken)
    {
        var restored = await new PostgresRestorer(LivePostgres.Admin((PostgresComponent)component), time).RestoreAsync(dumpFile, database, jobs, force, cancellationToken).ConfigureAwait(false);
        return (restored.Database, restored.PreviousDatabaseKeptAs);
    }

    public string Undo(string database, string? keptAs) => keptAs is not null
        ? $"ALTER DATABASE \"{database}\" RENAME TO \"{database}_failed\"; ALTER DATABASE \"{keptAs}\" RENAME TO \"{database}\";"
        : $"DROP DATABASE \"{database}\";  -- it did not exist before";
}
