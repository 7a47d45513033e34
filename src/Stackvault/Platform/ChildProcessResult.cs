namespace Stackvault.Platform;

/// <summary>
/// How a helper program ended: its exit code, its stdout (when captured) and the first line of its stderr; or, with
/// <see cref="StartError"/> set (empty when the system gave no reason), that it could not start.
/// </summary>
internal sealed record ChildProcessResult(int ExitCode, string Output, string ErrorLine, string? StartError)
{
    /// <summary>"PROGRAM could not start[: why]".</summary>
    public string StartFailure(string program) =>
        $"{program} could not start" + (string.IsNullOrEmpty(StartError) ? string.Empty : ": " + StartError);

    /// <summary>"WHAT exited with code N[: first stderr line]".</summary>
    public string ExitFailure(string what) =>
        $"{what} exited with code {ExitCode}" + (ErrorLine.Length > 0 ? ": " + ErrorLine : string.Empty);
}
