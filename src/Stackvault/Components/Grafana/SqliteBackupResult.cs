namespace Stackvault.Components.Grafana;

/// <summary>The outcome of one <see cref="SqliteOnlineBackup"/> copy.</summary>
/// <param name="DestinationPath">The absolute path of the copy: one self-contained file (journal_mode DELETE, no -wal).</param>
/// <param name="Pages">Pages in the copy.</param>
/// <param name="Bytes">Size of the copy in bytes.</param>
/// <param name="Duration">Wall time of the copy and its check.</param>
/// <param name="Steps">sqlite3_backup_step calls that copied pages (busy retries not counted).</param>
/// <param name="Restarts">Times SQLite started the copy over because the source changed between steps.</param>
/// <param name="Check">integrity_check and row counts of the copy. A copy that is not intact is still written, and
/// the caller must not report the run as a success.</param>
public sealed record SqliteBackupResult(
    string DestinationPath,
    long Pages,
    long Bytes,
    TimeSpan Duration,
    int Steps,
    int Restarts,
    GrafanaDatabaseReport Check)
{
    /// <summary>True when the copy passed integrity_check.</summary>
    public bool IsIntact => Check.IsIntact;
}
