using System.Globalization;
using Stackvault.Components.Postgres;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Drill;

/// <summary>
/// PostgreSQL: every restored <c>&lt;db&gt;.dump</c> is restored with <see cref="PostgresRestorer"/> (pg_restore) into a
/// new scratch database <c>svdrill_&lt;time&gt;_&lt;id&gt;_&lt;db&gt;</c> on the component's server, its rows counted per
/// table and compared with the counts recorded at backup (taken in the very snapshot the dump was made from), then the
/// scratch database is dropped, also when the check fails. Live databases are never touched.
/// </summary>
public sealed class PostgresDrillCheck : IDrillCheck
{
    public string Type => Configuration.PostgresComponent.TypeName;

    public async ValueTask<IReadOnlyList<DrillCheckResult>> RunAsync(DrillContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Component is not PostgresComponent component)
        {
            return [DrillCheckResult.Fail("scratch database", $"the config has no postgres component '{context.Section.Name}': the drill needs its server to restore into")];
        }

        var dumps = Directory.EnumerateFiles(context.RestoredDirectory, "*.dump").Order(StringComparer.Ordinal).ToList();
        var results = new List<DrillCheckResult>();
        if (context.Recorded("databases") is { } databases)
        {
            results.Add(DrillCheckResult.Compare("databases", databases, dumps.Count));
        }

        results.Add(File.Exists(Path.Combine(context.RestoredDirectory, "globals.sql"))
            ? DrillCheckResult.Pass("globals.sql", "present")
            : DrillCheckResult.Fail("globals.sql", "missing: roles and tablespaces cannot be recreated"));
        var connection = new PostgresConnection(component.Dsn, component.Password);
        var prefixed = dumps.Count > 1 || context.Recorded("databases") > 1;
        foreach (var dump in dumps)
        {
            var database = Path.GetFileNameWithoutExtension(dump);
            await CheckDatabaseAsync(context, connection, dump, database, prefixed ? database + "." : string.Empty, results, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    private static async Task CheckDatabaseAsync(DrillContext context, PostgresConnection connection, string dump, string database, string prefix, List<DrillCheckResult> results, CancellationToken cancellationToken)
    {
        var stamp = context.Time.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var scratch = $"svdrill_{stamp}_{Guid.NewGuid().ToString("N")[..6]}_{database}";
        scratch = scratch.Length > 40 ? scratch[..40] : scratch;
        try
        {
            try
            {
                await new PostgresRestorer(connection, context.Time).RestoreAsync(dump, scratch, context.Options.PostgresJobs, force: false, cancellationToken).ConfigureAwait(false);
                results.Add(DrillCheckResult.Pass($"{prefix}pg_restore", $"restored into the scratch database {scratch}"));
            }
            catch (StackvaultException e)
            {
                results.Add(DrillCheckResult.Fail($"{prefix}pg_restore", e.Message));
                return;
            }

            var counts = await PostgresAdapter.CountRowsAsync(connection, scratch, cancellationToken).ConfigureAwait(false);
            Compare(context, counts, prefix, results);
        }
        finally
        {
            try
            {
                await connection.QueryAsync(connection.MaintenanceDatabase, $"DROP DATABASE IF EXISTS {PostgresConnection.Identifier(scratch)} WITH (FORCE)", CancellationToken.None).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                results.Add(DrillCheckResult.Fail($"{prefix}drop scratch database", $"{scratch} could not be dropped: {e.Message}"));
            }
        }
    }

    private static void Compare(DrillContext context, IReadOnlyDictionary<string, long> counts, string prefix, List<DrillCheckResult> results)
    {
        var recorded = (context.Section.Checks ?? [])
            .Where(c => c.Key.StartsWith(prefix + "rows.", StringComparison.Ordinal))
            .ToDictionary(c => c.Key[prefix.Length..], c => c.Value, StringComparer.Ordinal);
        foreach (var (key, expected) in recorded.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            results.Add(counts.TryGetValue(key, out var actual)
                ? DrillCheckResult.Compare(prefix + key, expected, actual)
                : DrillCheckResult.Fail(prefix + key, "the table is missing from the restored database"));
        }

        foreach (var key in counts.Keys.Where(k => k.StartsWith("rows.", StringComparison.Ordinal) && !recorded.ContainsKey(k)).Order(StringComparer.Ordinal))
        {
            results.Add(DrillCheckResult.Fail(prefix + key, "the restored database has this table, the backup recorded none"));
        }

        var estimates = (context.Section.Checks ?? []).Count(c => c.Key.StartsWith(prefix + "rows_estimate.", StringComparison.Ordinal));
        if (estimates > 0)
        {
            var present = counts.Keys.Count(k => k.StartsWith("rows_estimate.", StringComparison.Ordinal));
            results.Add(DrillCheckResult.Compare(prefix + "tables (counts were estimates)", estimates, present));
        }
    }
}
