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

    public static readonly Option<TimeSpan> LockWait = Recursive(DurationOption.Create(
        "--retry-lock", "How long to keep retrying when the repository is locked: 30s, 5m, or seconds (default 0: fail at once with exit 11)", TimeSpan.Zero));

    public static readonly Option<string> LogFormat = new("--log-format")
    {
        Description = "Log lines (stderr) as human text or JSON Lines: text|json (default text; json with --json)",
        Recursive = true,
        DefaultValueFactory = _ => "text",
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Log more: each component's result",
        Recursive = true,
    };

    public static readonly Option<bool> Debug = new("--debug")
    {
        Description = "Log everything, including scheduling decisions and stack traces of errors",
        Recursive = true,
    };

    public static readonly Option<string?> StateDir = new("--state-dir")
    {
        Description = $"Where status.json is kept. Default: ${Telemetry.StateDirectory.EnvironmentVariable}, else {Telemetry.StateDirectory.SystemPath} if writable, else $XDG_STATE_HOME/stackvault or ~/.local/state/stackvault",
        Recursive = true,
    };

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }

    public static IEnumerable<Option> All => [Repo, PasswordFile, Json, Quiet, LockWait, LogFormat, Verbose, Debug, StateDir];

    /// <summary>The log for this invocation: its format and level from --log-format, --verbose, --debug (--quiet: warnings and errors).</summary>
    public static Telemetry.Log Log(ParseResult parse)
    {
        var format = parse.GetResult(LogFormat) is null && parse.GetValue(Json) ? "json" : parse.GetValue(LogFormat) ?? "text";
        if (format is not ("text" or "json"))
        {
            throw new Errors.UsageException($"--log-format {format}: use text or json");
        }

        var level = parse.GetValue(Debug) ? Telemetry.LogSeverity.Debug
            : parse.GetValue(Verbose) ? Telemetry.LogSeverity.Verbose
            : parse.GetValue(Quiet) ? Telemetry.LogSeverity.Warning
            : Telemetry.LogSeverity.Info;
        return new Telemetry.Log(Console.Error, format == "json", level, TimeProvider.System);
    }
}
