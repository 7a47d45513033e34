using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// Where a component's restorable data sits in a snapshot: what <c>restore --component NAME --target DIR</c> puts
/// into DIR. A Prometheus component keeps its TSDB blocks under <c>/&lt;name&gt;/data</c> (so DIR becomes a data
/// directory); the others restore their whole <c>/&lt;name&gt;</c> directory.
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
        section.Type == "prometheus" ? section.SnapshotPath + "/data" : section.SnapshotPath;
}
