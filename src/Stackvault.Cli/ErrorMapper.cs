using Stackvault.Errors;

namespace Stackvault.Cli;

/// <summary>The one place where exceptions become exit codes and one-line messages: the exception's type chooses the code.</summary>
internal static class ErrorMapper
{
    public const string ExitCodeHelp =
        "Exit codes: 0 ok, 1 failure (also a damaged object: corrupt config, key file, index, snapshot or pack; the message names it and the repair, " +
        "'stackvault repair index|snapshots'), 2 usage error, 3 partial (some source items unreadable; snapshot saved and marked partial), " +
        "4 RPO breached (status: a job's last complete backup is older than its rpo, or there is none), " +
        "10 repository not found, 11 repository locked, 12 wrong password, 130 interrupted.";

    public static (ExitCode Code, string Message) Map(Exception exception) => exception switch
    {
        OperationCanceledException => (ExitCode.Interrupted, "interrupted"),
        UsageException e => (ExitCode.Usage, e.Message),
        LocationNotFoundException e => (ExitCode.RepositoryNotFound, e.Message),
        RepositoryLockedException e => (ExitCode.Locked, e.Message),
        WrongPasswordException e => (ExitCode.WrongPassword, e.Message),
        StackvaultException e => (ExitCode.Failure, e.Message),
        UnauthorizedAccessException e => (ExitCode.Failure, "permission denied: " + e.Message),
        DirectoryNotFoundException e => (ExitCode.Failure, e.Message),
        FileNotFoundException e => (ExitCode.Failure, e.Message),
        IOException e when IsDiskFull(e) => (ExitCode.Failure, "disk full: " + e.Message),
        IOException e => (ExitCode.Failure, "I/O error: " + e.Message),
        _ => (ExitCode.Failure, $"internal error ({exception.GetType().Name}): {exception.Message}"),
    };

    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) == 28 || e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase);
}
