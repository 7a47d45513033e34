namespace Stackvault.Configuration;

/// <summary>
/// <c>type: command</c>: the stdout of a command stored as one file named <see cref="Filename"/> (a relative name),
/// for example <c>command: [pg_dumpall, --globals-only]</c>, <c>filename: globals.sql</c>.
/// </summary>
public sealed record CommandComponent(string Name, HookSet Hooks, int Line, CommandSpec Command, string Filename, TimeSpan? Timeout)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "command";

    public override string Type => TypeName;
}
