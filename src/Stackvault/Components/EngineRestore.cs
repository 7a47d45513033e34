namespace Stackvault.Components;

/// <summary>
/// An engine's restore rules.
/// </summary>
public sealed record EngineRestore
{
    /// <summary>
    /// The directory inside the component's snapshot directory that <c>restore --component NAME --target DIR</c>
    /// puts into DIR (Prometheus: <c>data</c>, so DIR becomes a TSDB data directory); empty for the whole directory.
    /// </summary>
    public string DataRoot { get; init; } = string.Empty;

    /// <summary>How many leading version numbers must match for a restore without advice (PostgreSQL: the major, 1).</summary>
    public int VersionParts { get; init; } = 2;

    /// <summary>What to mind on a version mismatch, worded for the operator.</summary>
    public string VersionHint { get; init; } = "check the engine's release notes";

    /// <summary>Whether the engine must be stopped for a live restore (a warning without <c>restore_hooks.stop</c>).</summary>
    public bool NeedsStop { get; init; }

    /// <summary>
    /// Engine files that are never part of a snapshot but change the meaning of what is (SQLite's -wal/-shm/-journal
    /// beside a database, a TSDB <c>lock</c>), as paths relative to the restored root. <c>restore --component X
    /// --target DIR</c> moves those found in DIR aside (<c>*.pre-restore-TIME</c>) with the data it replaces.
    /// </summary>
    public IReadOnlyList<string> StaleFiles { get; init; } = [];
}
