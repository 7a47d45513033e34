using Stackvault.Components;
using Stackvault.Configuration;

namespace Stackvault.Restore.Live;

/// <summary>
/// Where a component's data lives, from stackvault.yaml: the items a live restore swaps, as each engine declares them
/// (<see cref="IEngine.LiveItems"/>), and the companions moved aside with each (the engine's
/// <see cref="EngineRestore.StaleFiles"/> beside a file item: SQLite's -wal/-shm/-journal beside grafana.db).
/// </summary>
public static class LiveLocations
{
    public static IReadOnlyList<LiveItem> For(ComponentConfig component) => EngineCatalog.Of(component).LiveItems(component);

    /// <summary>The engine files beside <paramref name="item"/> that are not in a snapshot: moved aside with it, so a stale WAL is never replayed into the restored copy.</summary>
    public static IReadOnlyList<string> Companions(ComponentConfig component, LiveItem item) =>
        item.Relative.Length == 0 ? [] : [.. EngineCatalog.Of(component).Restore.StaleFiles
            .Where(s => s.Length > item.Relative.Length && s.StartsWith(item.Relative, StringComparison.Ordinal) && s[item.Relative.Length] != '/')
            .Select(s => item.LivePath + s[item.Relative.Length..])];

    /// <summary>Whether the engine must be stopped around a live restore.</summary>
    public static bool NeedsStop(ComponentConfig component) => EngineCatalog.Of(component).Restore.NeedsStop;
}
