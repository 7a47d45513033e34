namespace Stackvault.Configuration;

/// <summary>
/// <c>type: command</c>: the stdout of a command stored as one file named <see cref="Filename"/> (a relative name),
/// for example <c>command: [pg_dumpall, --globals-only]</c>, <c>filename: globals.sql</c>.
/// </summary>
public sealed record CommandComponent(string Name, HookSet Hooks, int Line, CommandSpec Command, string Filename, TimeSpan? Timeout)
    : ComponentConfig(Name, Hooks, Line)
{
    public override string Type => "command";
}
