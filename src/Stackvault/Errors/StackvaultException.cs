namespace Stackvault.Errors;

/// <summary>
/// The base of every error Stackvault reports to a user: a one-line message. The type says what went wrong
/// (<see cref="UsageException"/>, <see cref="LocationNotFoundException"/>, ...); the CLI alone turns a type into an
/// exit code. A plain <see cref="StackvaultException"/> is a failure (exit 1).
/// </summary>
public class StackvaultException(string message, Exception? inner = null) : Exception(message, inner);
