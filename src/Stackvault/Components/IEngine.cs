using Stackvault.Configuration;
using Stackvault.Drill;
using Stackvault.Restore.Live;

namespace Stackvault.Components;

/// <summary>
/// Everything Stackvault knows about one engine, that is one component <c>type:</c>: how its <c>components:</c>
/// section is read and validated, how it is backed up (its consistent source), which of its items are configuration
/// and which are data, how it is restored (where its data lives, what must be moved aside, version advice), how a
/// running one is probed, and how a restored copy is drilled. Each engine lives in its own folder,
/// <c>Components/&lt;Engine&gt;/</c>, and registers in <see cref="EngineCatalog"/>; nothing outside the catalog
/// switches on a type string.
/// </summary>
/// <remarks>
/// Adding an engine (say Alertmanager):
/// <list type="number">
/// <item>a folder <c>Components/Alertmanager/</c> with its config record (<c>AlertmanagerComponent : ComponentConfig</c>),
/// its adapter (<see cref="IComponentAdapter"/>) and <c>AlertmanagerEngine : IEngine</c>; check names as constants in
/// that folder;</item>
/// <item>one line in <see cref="EngineCatalog.All"/>;</item>
/// <item>a row in docs/engines.md and its keys in docs/configuration.md.</item>
/// </list>
/// Members with a default body are optional: an engine without a probe, drill check or live location says nothing.
/// </remarks>
internal interface IEngine
{
    /// <summary>The <c>type:</c> value, as written in stackvault.yaml and recorded in the manifest.</summary>
    string Type { get; }

    /// <summary>The keys of its section besides <c>type</c>, <c>hooks</c> and <c>restore_hooks</c>.</summary>
    IReadOnlyList<string> Keys { get; }

    /// <summary>Reads and validates the section into its typed record; null when a problem was recorded.</summary>
    ComponentConfig? Read(EngineSection section);

    /// <summary>
    /// <c>config validate</c> warnings about the component as it is on this machine: an unrecognised layout (naming
    /// what was expected). Never throws.
    /// </summary>
    IEnumerable<string> Warnings(ComponentConfig component) => [];

    /// <summary>The method recorded for a component that failed before its adapter said how it was made.</summary>
    string Method { get; }

    /// <summary>Its section's keys and values for <c>config show</c>, secrets and credentials in URLs redacted.</summary>
    IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => [];

    /// <summary>The adapter that makes its consistent backup source.</summary>
    IComponentAdapter Adapter(EngineServices services);

    /// <summary>The class of an item at <paramref name="relative"/> (a path inside the component's snapshot directory).</summary>
    ItemClass ClassOf(string relative);

    /// <summary>The classes of items this engine may store (a component is not prepared for <c>--only</c> another).</summary>
    IReadOnlyList<ItemClass> Holds { get; }

    /// <summary>Its recovery time objective class in a drill: configuration (5 minutes) or data (1 hour).</summary>
    ItemClass Recovery { get; }

    /// <summary>Its restore rules: the data root, version advice, files to move aside.</summary>
    EngineRestore Restore { get; }

    /// <summary>Where its data lives (what a live restore swaps); throws a usage error when it has no live location.</summary>
    IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) => throw new Errors.UsageException(
        $"component {component.Name} (type {component.Type}) has no live location to restore into: use --target DIR");

    /// <summary>
    /// Advice on a copy just restored into <paramref name="directory"/> by <c>restore --component --target</c>
    /// (<paramref name="retention"/>: the operator's <c>--prometheus-retention</c>, if given).
    /// </summary>
    IEnumerable<string> RestoredWarnings(string directory, TimeSpan? retention, TimeProvider time) => [];

    /// <summary>
    /// Advice on the items a live restore has just staged, before they are swapped in (<paramref name="retention"/>:
    /// the operator's <c>--prometheus-retention</c>, if given; the component's own setting comes first).
    /// </summary>
    IEnumerable<string> StagedWarnings(ComponentConfig component, IReadOnlyList<(LiveItem Item, string Path)> staged, TimeSpan? retention, TimeProvider time) => [];

    /// <summary>
    /// Its live restore through a database server (dumps restored into databases, <c>--target-database</c> and
    /// <c>--force</c>), or null when a live restore swaps its <see cref="LiveItems"/>.
    /// </summary>
    IDatabaseRestore? Database => null;

    /// <summary>
    /// Its secrets by key (<c>password</c>, <c>api_token</c>), for the checks that must not see one inline (a
    /// Kubernetes ConfigMap).
    /// </summary>
    IEnumerable<(string Key, SecretValue? Value)> Secrets(ComponentConfig component) => [];

    /// <summary>The probe of a running engine (version, readiness, post-restore check), or null when there is none.</summary>
    IEngineProbe? Probe(EngineServices services) => null;

    /// <summary>The engine-level check of a restored copy in a drill, or null (then content hashes only).</summary>
    IDrillCheck? Drill => null;
}
