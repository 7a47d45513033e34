namespace Stackvault.Configuration;

/// <summary>
/// A command to run: either an argument vector (YAML list, run directly) or one string run by <c>/bin/sh -c</c>.
/// </summary>
public sealed record CommandSpec
{
    private CommandSpec(IReadOnlyList<string> arguments, bool shell)
    {
        Arguments = arguments;
        Shell = shell;
    }

    /// <summary>The program and its arguments; for a shell command, <c>["/bin/sh", "-c", text]</c>.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>True when the config gave one string, run through the shell.</summary>
    public bool Shell { get; }

    public static CommandSpec Argv(IReadOnlyList<string> arguments) => new([.. arguments], false);

    public static CommandSpec ShellCommand(string text) => new(["/bin/sh", "-c", text], true);

    /// <summary>The text as configured: the shell string, or the arguments joined by spaces.</summary>
    public string Display => Shell ? Arguments[2] : string.Join(' ', Arguments);

    public bool Equals(CommandSpec? other) => other is not null && Shell == other.Shell && Arguments.SequenceEqual(other.Arguments);

    public override int GetHashCode() => HashCode.Combine(Shell, Arguments.Count, Arguments.Count > 0 ? Arguments[0] : null);
}
