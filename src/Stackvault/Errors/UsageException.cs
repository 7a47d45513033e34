namespace Stackvault.Errors;

/// <summary>The command line, an option or the configuration asks for something that cannot run (exit 2).</summary>
public sealed class UsageException(string message, Exception? inner = null) : StackvaultException(message, inner);
