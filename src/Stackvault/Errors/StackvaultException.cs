namespace Stackvault.Errors;

/// <summary>
/// The base of every error Stackvault reports to a user: a one-line message and the exit code it maps to.
/// </summary>
public class StackvaultException : Exception
{
    public StackvaultException(string message, ExitCode exitCode = ExitCode.Failure, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public ExitCode ExitCode { get; }
}
