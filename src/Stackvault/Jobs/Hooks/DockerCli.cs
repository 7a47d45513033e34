using Stackvault.Platform;

namespace Stackvault.Jobs.Hooks;

/// <summary>
/// The docker CLI found on PATH, run with the process environment (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG pass
/// through). Returns stdout, or the failure as a sentence naming <c>docker VERB</c>, the exit code and the first
/// stderr line: never the command line (an exec label may hold a secret).
/// </summary>
internal static class DockerCli
{
    public static async Task<(string? Output, string? Error)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var run = await ChildProcess.RunAsync("docker", arguments, captureOutput: true, cancellationToken).ConfigureAwait(false);
        return run.StartError is not null ? (null, run.StartFailure("docker"))
            : run.ExitCode == 0 ? (run.Output, null)
            : (null, run.ExitFailure("docker " + arguments[0]));
    }
}
