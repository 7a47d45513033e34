namespace Stackvault.Configuration;

/// <summary><c>type: files</c>: absolute paths to back up as they are, with optional exclude patterns.</summary>
public sealed record FilesComponent(string Name, HookSet Hooks, int Line, IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "files";

    public override string Type => TypeName;
}
