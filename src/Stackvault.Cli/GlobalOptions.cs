using System.CommandLine;

namespace Stackvault.Cli;

/// <summary>Options every command takes.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Repo = new("--repo", "-r")
    {
        Description = "Repository location: a directory, s3://BUCKET[/PREFIX] or s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]. Default: $STACKVAULT_REPOSITORY",
        Recursive = true,
    };

    public static readonly Option<string?> PasswordFile = new("--password-file")
    {
        Description = "Read the repository password from this file. Also: $STACKVAULT_PASSWORD, $STACKVAULT_PASSWORD_FILE, $STACKVAULT_PASSWORD_COMMAND",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Machine-readable output on stdout: one JSON document, or JSON Lines with a message_type for long commands",
        Recursive = true,
    };

    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print nothing but errors and the result",
        Recursive = true,
    };

    public static readonly Option<int> LockWait = new("--retry-lock")
    {
        Description = "Seconds to keep retrying when the repository is locked (default 0: fail at once with exit 11)",
        Recursive = true,
    };

    public static IEnumerable<Option> All => [Repo, PasswordFile, Json, Quiet, LockWait];
}
