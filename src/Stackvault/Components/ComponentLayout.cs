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
            throw new StackvaultException($"the snapshot has no component '{name}' (components: {known})", ExitCode.Usage);
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
}
