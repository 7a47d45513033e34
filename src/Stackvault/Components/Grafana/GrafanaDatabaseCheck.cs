namespace Stackvault.Components.Grafana;

/// <summary>
/// The engine-level check of a Grafana SQLite database (a fresh backup copy, a restored file, a restore drill):
/// PRAGMA integrity_check, then the row counts of Grafana's main tables.
/// </summary>
public static class GrafanaDatabaseCheck
{
    /// <summary>The tables counted, in report order. "folder" falls back to dashboard.is_folder (see the report).</summary>
    public static IReadOnlyList<string> Tables { get; } = ["alert_rule", "api_key", "dashboard", "data_source", "folder", "org", "user"];

    /// <summary>Opens <paramref name="databasePath"/> read-only and checks it. Throws only when it cannot be opened.</summary>
    public static GrafanaDatabaseReport Run(string databasePath, CancellationToken cancellationToken = default)
    {
        using var db = new SqliteConnection(databasePath, SqliteOpenMode.ReadOnly);
        return Inspect(db, cancellationToken);
    }

    /// <summary>Checks a database on an open connection; cancellation interrupts a long integrity_check.</summary>
    public static GrafanaDatabaseReport Inspect(SqliteConnection db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        cancellationToken.ThrowIfCancellationRequested();
        using var interrupt = db.InterruptOn(cancellationToken);
        var messages = new List<string>();
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var row in db.Query("PRAGMA integrity_check"))
            {
                messages.Add(row[0] as string ?? string.Empty);
            }

            cancellationToken.ThrowIfCancellationRequested();
            CountTables(db, counts);
        }
        catch (SqliteException e) when (e.IsCorruption)
        {
            messages.Add(e.Message);
        }

        bool intact = messages is ["ok"];
        return new GrafanaDatabaseReport(db.Path, intact, messages, counts);
    }

    private static void CountTables(SqliteConnection db, SortedDictionary<string, long> counts)
    {
        var existing = db.Query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .Select(r => r[0] as string).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var table in Tables)
        {
            if (existing.Contains(table))
            {
                // Table names come from the fixed list above, never from input: quoting them is enough.
                counts[table] = (long)db.ExecuteScalar($"SELECT count(*) FROM \"{table}\"")!;
            }
        }

        if (!counts.ContainsKey("folder") && existing.Contains("dashboard")
            && db.Query("SELECT 1 FROM pragma_table_info('dashboard') WHERE name = 'is_folder'").Count > 0)
        {
            counts["folder"] = (long)db.ExecuteScalar("SELECT count(*) FROM dashboard WHERE is_folder = 1")!;
        }
    }
}
