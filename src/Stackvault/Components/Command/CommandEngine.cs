using Stackvault.Configuration;

namespace Stackvault.Components.Command;

/// <summary><c>type: command</c>: a command's stdout stored as one file (data); restored only with --target; no probe.</summary>
internal sealed class CommandEngine : IEngine
{
    public string Type => CommandComponent.TypeName;

    public IReadOnlyList<string> Keys { get; } = ["command", "filename", "timeout"];

    public string Method => "command-stdout";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Data];

    /// <summary>A command's output (a globals dump, an export) is recovered like configuration, within minutes.</summary>
    public ItemClass Recovery => ItemClass.Config;

    public EngineRestore Restore { get; } = new();

    public ComponentConfig? Read(EngineSection s)
    {
        var command = s.Reader.Command(s.Map, s.Path, "command", required: true);
        var filename = s.Reader.String(s.Map, s.Path, "filename", required: true);
        if (filename is not null && (filename.StartsWith('/') || filename.Split('/').Any(p => p is "" or "." or "..")))
        {
            s.Problem("filename", "must be a relative file name without '.', '..' or empty parts");
            filename = null;
        }

        var timeout = s.Reader.Duration(s.Map, s.Path, "timeout");
        return command is null || filename is null ? null : new CommandComponent(s.Name, s.Hooks, s.Line, command, filename, timeout);
    }

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is CommandComponent c
        ? [("command", Configuration.ConfigDocument.Command(c.Command)), ("filename", c.Filename), ("timeout", Configuration.ConfigDocument.Duration(c.Timeout))]
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new CommandAdapter();

    public ItemClass ClassOf(string relative) => ItemClass.Data;
}
