namespace Stackvault.Components.Grafana;

/// <summary>
/// What <see cref="GrafanaDatabaseCheck"/> found in a Grafana SQLite database.
/// </summary>
/// <param name="DatabasePath">The absolute path of the checked file.</param>
/// <param name="IsIntact">True when PRAGMA integrity_check answered exactly "ok" and every count could be read.</param>
/// <param name="IntegrityMessages">integrity_check's rows ("ok", or up to 100 problems), or SQLite's error when
/// the check could not even run (e.g. "database disk image is malformed").</param>
/// <param name="RowCounts">Rows per Grafana table, by table name, for the tables that exist; "folder" counts the
/// folder table, or dashboard rows with is_folder = 1 on Grafana versions without one. Missing tables are absent.</param>
public sealed record GrafanaDatabaseReport(
    string DatabasePath,
    bool IsIntact,
    IReadOnlyList<string> IntegrityMessages,
    IReadOnlyDictionary<string, long> RowCounts)
{
    /// <summary>A one-line summary for logs: "ok, dashboard=12 data_source=3 ..." (no secrets: only counts).</summary>
    public override string ToString() =>
        (IsIntact ? "ok" : "NOT OK: " + string.Join("; ", IntegrityMessages.Take(3)))
        + (RowCounts.Count == 0 ? string.Empty : ", " + string.Join(' ', RowCounts.Select(c => $"{c.Key}={c.Value}")));
}
