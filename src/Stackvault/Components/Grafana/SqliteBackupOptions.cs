namespace Stackvault.Components.Grafana;

/// <summary>Tuning for <see cref="SqliteOnlineBackup"/>. The defaults suit a Grafana database of any size.</summary>
public sealed record SqliteBackupOptions
{
    /// <summary>Pages copied per sqlite3_backup_step; the source is read-locked only during a step.</summary>
    public int PagesPerStep { get; init; } = 1024;

    /// <summary>The pause between steps, which lets writers of the live database in.</summary>
    public TimeSpan PauseBetweenSteps { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The wait before a step that failed with SQLITE_BUSY or SQLITE_LOCKED is tried again.</summary>
    public TimeSpan BusyRetryDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The busy timeout of both connections.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this many restarts (a write to the source between two steps makes SQLite start the copy over), the rest
    /// is copied in one step inside one read transaction. In WAL mode that does not block writers; in rollback-journal
    /// mode writers wait (up to their busy timeout) while it runs. 0 copies everything in one step from the start.
    /// </summary>
    public int RestartsBeforeSingleStep { get; init; } = 3;

    /// <summary>The whole copy fails when it has not finished within this time.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PagesPerStep, 1, nameof(PagesPerStep));
        ArgumentOutOfRangeException.ThrowIfLessThan(PauseBetweenSteps, TimeSpan.Zero, nameof(PauseBetweenSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyRetryDelay, TimeSpan.Zero, nameof(BusyRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(RestartsBeforeSingleStep, nameof(RestartsBeforeSingleStep));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
