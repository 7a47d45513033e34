namespace Stackvault.Configuration;

/// <summary><c>type: files</c>: absolute paths to back up as they are, with optional exclude patterns.</summary>
public sealed record FilesComponent(string Name, HookSet Hooks, int Line, IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude)
    : ComponentConfig(Name, Hooks, Line)
{
    public override string Type => "files";
}
