namespace Stackvault.Errors;

/// <summary>
/// The process exit codes, mapped in one place. The CLI's --help and the README list them.
/// </summary>
public enum ExitCode
{
    /// <summary>Everything worked.</summary>
    Ok = 0,

    /// <summary>The command failed (corruption found, I/O error, ...).</summary>
    Failure = 1,

    /// <summary>The command line was wrong.</summary>
    Usage = 2,

    /// <summary>Some source items could not be read; the snapshot was saved and marked partial.</summary>
    Partial = 3,

    /// <summary><c>status</c>: a job with an rpo has no complete backup within it (or none at all).</summary>
    RpoBreached = 4,

    /// <summary>The repository does not exist at the given location.</summary>
    RepositoryNotFound = 10,

    /// <summary>The repository is locked by another process.</summary>
    Locked = 11,

    /// <summary>No key of the repository opens with the given password.</summary>
    WrongPassword = 12,

    /// <summary>Interrupted by SIGINT or SIGTERM.</summary>
    Interrupted = 130,
}
