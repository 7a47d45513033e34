using Stackvault.Backup;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// A prepared component: the sources to back up, the manifest section template (method, engine version, source,
/// checks), and the cleanup that always runs after the backup, also when it fails or is interrupted.
/// </summary>
public sealed record ComponentPlan(IReadOnlyList<BackupSource> Sources, ComponentSection Section, IAsyncDisposable? Cleanup = null)
{
    /// <summary>Exclude patterns on real paths, scoped to this component's sources (they join the run's excludes).</summary>
    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>A section template for <paramref name="component"/>, placed at <c>/&lt;name&gt;</c>.</summary>
    public static ComponentSection NewSection(Configuration.ComponentConfig component, string method, string? source) => new()
    {
        Name = component.Name,
        Type = component.Type,
        Method = method,
        Source = source,
        SnapshotPath = "/" + component.Name,
        Status = ComponentStatus.Complete,
    };

    /// <summary>The snapshot path of <paramref name="relative"/> inside the component's directory.</summary>
    public static string PathIn(Configuration.ComponentConfig component, string relative) =>
        "/" + component.Name + "/" + relative.TrimStart('/');
}
