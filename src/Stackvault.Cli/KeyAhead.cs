using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Cli;

/// <summary>
/// Starts the repository's key derivation (<see cref="KeyPrefetch"/>) from the raw arguments, before the command
/// line is even built, when they name a command that opens a local repository with a password given by file or
/// environment (never a password command: that would run it twice). A guess: the command still parses, opens and
/// checks everything itself, and a wrong guess costs only CPU time.
/// </summary>
internal static class KeyAhead
{
    /// <summary>Commands that open the repository named by --repo or STACKVAULT_REPOSITORY with its password.</summary>
    private static readonly HashSet<string> Opening = new(StringComparer.Ordinal)
    {
        "backup", "snapshots", "show", "restore", "verify", "forget", "prune", "diff", "export",
    };

    /// <summary>Subcommands of <c>bucket</c> that open the repository (<c>verify</c> reads only the bucket).</summary>
    private static readonly HashSet<string> OpeningBucket = new(StringComparer.Ordinal) { "backup", "restore" };

    /// <summary>Global options that take a value (the token after them is not the command).</summary>
    private static readonly HashSet<string> Valued = new(StringComparer.Ordinal)
    {
        "--repo", "-r", "--password-file", "--retry-lock", "--log-format", "--state-dir",
    };

    public static void Start(string[] args)
    {
        try
        {
            if (Guess(args, Environment.GetEnvironmentVariable) is { } guess
                && PasswordSource.ResolveWithoutCommand(guess.PasswordFile) is { Length: > 0 } password)
            {
                KeyPrefetch.Start(() => StorageFactory.Open(guess.Location), password);
            }
        }
        catch
        {
            // Only a guess: the command meets the same problem (an odd password file path) and reports it.
        }
    }

    /// <summary>What the arguments say about the repository to open; null when they name no such command or no local repository.</summary>
    internal static (string Location, string? PasswordFile)? Guess(string[] args, Func<string, string?> getVariable)
    {
        string? command = null, subcommand = null, repo = null, passwordFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--" || arg.StartsWith('@') || arg is "-h" or "--help" or "-?" or "/?" or "--version" or "--job" or "--component"
                || arg.StartsWith("--job=", StringComparison.Ordinal) || arg.StartsWith("--component=", StringComparison.Ordinal))
            {
                return null; // a response file, help, or a job's repositories: leave it to the command
            }

            var (name, inline) = Split(arg);
            if (Valued.Contains(name))
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
                if (name is "--repo" or "-r")
                {
                    repo = value;
                }
                else if (name == "--password-file")
                {
                    passwordFile = value;
                }
            }
            else if (!arg.StartsWith('-') && (command is null || subcommand is null))
            {
                if (command is null)
                {
                    command = arg;
                }
                else
                {
                    subcommand = arg;
                }
            }
        }

        var location = repo ?? getVariable("STACKVAULT_REPOSITORY");
        var opens = command is not null && (Opening.Contains(command) || (command == "bucket" && subcommand is not null && OpeningBucket.Contains(subcommand)));
        return opens && !string.IsNullOrWhiteSpace(location) && StorageFactory.IsLocal(location)
            ? (location, passwordFile)
            : null;
    }

    /// <summary>"--name=value" and "--name:value" as System.CommandLine reads them; else the token alone.</summary>
    private static (string Name, string? Value) Split(string arg)
    {
        var at = arg.StartsWith('-') ? arg.IndexOfAny(['=', ':']) : -1;
        return at > 0 ? (arg[..at], arg[(at + 1)..]) : (arg, null);
    }
}
