using Stackvault.Configuration;
using Stackvault.Restore.Live;

namespace Stackvault.Components.Files;

/// <summary><c>type: files</c>: paths stored as they are, configuration; restored each to where it was; no probe, content hashes in a drill.</summary>
internal sealed class FilesEngine : IEngine
{
    public string Type => FilesComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["paths", "exclude"];

    public string Method => "files";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Config];

    public ItemClass Recovery => ItemClass.Config;

    public EngineRestore Restore { get; } = new();

    public ComponentConfig? Read(EngineSection s) =>
        new FilesComponent(s.Name, s.Hooks, s.Line, s.Reader.AbsolutePaths(s.Map, s.Path, "paths", required: true), s.Reader.StringList(s.Map, s.Path, "exclude"));

    /// <summary>A configured path that is not there is stored as an unreadable item: say so before the first backup.</summary>
    public IEnumerable<string> Warnings(ComponentConfig component) =>
        ((FilesComponent)component).Paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).Select(p => $"path {p} does not exist here: a backup fails this component");

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is FilesComponent f
        ? [("paths", f.Paths), ("exclude", f.Exclude)]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new FilesAdapter();

    public ItemClass ClassOf(string relative) => ItemClass.Config;

    public IReadOnlyList<LiveItem> LiveItems(ComponentConfig component) =>
        [.. ((FilesComponent)component).Paths.Select(path => new LiveItem(path.Trim('/'), path.TrimEnd('/')))];
}
