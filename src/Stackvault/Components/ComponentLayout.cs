using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// Where a component's restorable data sits in a snapshot: what <c>restore --component NAME --target DIR</c> puts
/// into DIR, the engine's <see cref="EngineRestore.DataRoot"/> (Prometheus keeps its TSDB blocks under
/// <c>/&lt;name&gt;/data</c>, so DIR becomes a data directory; the others restore their whole <c>/&lt;name&gt;</c>).
/// </summary>
public static class ComponentLayout
{
    public static ComponentSection Find(Snapshot snapshot, string name)
    {
        var section = snapshot.Components?.FirstOrDefault(c => c.Name == name);
        if (section is null)
        {
            var known = snapshot.Components is { Count: > 0 } list ? string.Join(", ", list.Select(c => c.Name)) : "none";
            throw new UsageException($"the snapshot has no component '{name}' (components: {known})");
        }

        if (section.Status == ComponentStatus.Failed)
        {
            throw new StackvaultException($"component '{name}' failed in this snapshot and has no data: {section.Error}");
        }

        return section;
    }

    public static string DataPath(ComponentSection section) =>
        EngineCatalog.Find(section.Type)?.Restore.DataRoot is { Length: > 0 } root ? section.SnapshotPath + "/" + root : section.SnapshotPath;

    /// <summary>The engine's files to move aside when restoring <paramref name="section"/> into a directory (relative to it).</summary>
    public static IReadOnlyList<string> StaleFiles(ComponentSection section) => EngineCatalog.Find(section.Type)?.Restore.StaleFiles ?? [];

    /// <summary>Whether the component's items of <paramref name="only"/> class include <paramref name="relative"/> (a path inside its directory).</summary>
    public static bool IsOfClass(ComponentSection section, string relative, ItemClass only) =>
        EngineCatalog.Find(section.Type) is { } engine && engine.ClassOf(relative.TrimStart('/')) == only;

    /// <summary>
    /// <c>restore --only config|data</c>: exclude patterns that leave out every item not of class <paramref name="only"/>.
    /// <paramref name="paths"/> are the planned paths (relative to the restored root: the component's data root when
    /// <paramref name="section"/> is given, else the snapshot root, where each component is <c>/&lt;name&gt;</c>).
    /// </summary>
    public static IReadOnlyList<string> ExcludesFor(Snapshot snapshot, ComponentSection? section, ItemClass only, IEnumerable<string> paths)
    {
        var excludes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var parts = path.TrimStart('/').Split('/');
            string prefix, relative;
            ComponentSection? owner;
            if (section is not null)
            {
                owner = section;
                var root = EngineCatalog.Find(section.Type)?.Restore.DataRoot ?? string.Empty;
                prefix = string.Empty;
                relative = root.Length == 0 ? parts[0] : root + "/" + parts[0];
            }
            else
            {
                owner = snapshot.Components?.FirstOrDefault(c => c.SnapshotPath == "/" + parts[0]);
                if (owner is null || parts.Length < 2)
                {
                    continue;
                }

                prefix = "/" + parts[0];
                relative = parts[1];
            }

            if (EngineCatalog.Find(owner.Type) is { } engine && engine.ClassOf(relative) != only)
            {
                var item = prefix + "/" + (section is null ? parts[1] : parts[0]);
                excludes.Add(item);
            }
        }

        return [.. excludes];
    }

    /// <summary>The engine's advice on data just restored into <paramref name="directory"/> (Prometheus: blocks older than its retention, WAL overlap).</summary>
    public static IReadOnlyList<string> RestoredWarnings(ComponentSection section, string directory, TimeSpan? retention, TimeProvider time) =>
        EngineCatalog.Find(section.Type) is { } engine ? [.. engine.RestoredWarnings(directory, retention, time)] : [];
}
