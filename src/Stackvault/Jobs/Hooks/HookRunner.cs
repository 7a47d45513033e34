using Stackvault.Configuration;
using Stackvault.Platform;

namespace Stackvault.Jobs.Hooks;

/// <summary>
/// Runs one hook with its timeout (default <see cref="DefaultTimeout"/>): a command (argument list, or a string run
/// by <c>/bin/sh -c</c>; non-zero exit fails), an HTTP call (2xx succeeds), or <c>docker stop|start NAME...</c>
/// through the docker CLI found on PATH (the environment, DOCKER_HOST included, is passed through). Messages name
/// only the program, exit code and first stderr line, or the URL without userinfo and query: never a command line.
/// </summary>
public sealed class HookRunner(HttpClient http)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);


    private readonly DockerLabelHooks _labels = new();

    /// <summary>A short, secret-free name of the hook: the program, <c>docker stop a b</c>, or <c>POST http://host/path</c>.</summary>
    public static string Describe(HookConfig hook) => hook switch
    {
        CommandHook c => c.Command.Shell ? "sh -c" : Path.GetFileName(c.Command.Arguments[0]),
        HttpHook h => $"{h.Method} {SafeUrl(h.Url)}",
        DockerHook d => $"docker {(d.Action == DockerAction.Stop ? "stop" : "start")} {string.Join(' ', d.Containers)}",
        DockerLabelHook l => $"docker label {(l.Action == DockerAction.Stop ? "stop" : "start")} {l.Group}",
        _ => hook.GetType().Name,
    };

    /// <summary>The URL without userinfo, query or fragment.</summary>
    public static string SafeUrl(Uri url) => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>
    /// Runs <paramref name="hook"/>; returns null on success, else the reason it failed. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<string?> RunAsync(HookConfig hook, CancellationToken cancellationToken)
    {
        var timeout = hook.Timeout ?? DefaultTimeout;
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return hook switch
            {
                CommandHook c => await ProcessAsync(c.Command.Arguments, c.Command.Shell ? "sh" : Path.GetFileName(c.Command.Arguments[0]), timer.Token).ConfigureAwait(false),
                DockerHook d => await ProcessAsync(["docker", d.Action == DockerAction.Stop ? "stop" : "start", .. d.Containers], "docker", timer.Token).ConfigureAwait(false),
                HttpHook h => await HttpAsync(h, timer.Token).ConfigureAwait(false),
                DockerLabelHook l => await _labels.RunAsync(l, timer.Token).ConfigureAwait(false) is { } error ? $"{Describe(l)}: {error}" : null,
                _ => $"unknown hook kind {hook.GetType().Name}",
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{Describe(hook)} did not finish within {DurationFormat.Format(timeout)} and was stopped";
        }
    }

    /// <summary>
    /// Runs every hook of <paramref name="hooks"/> in order, reporting each failure through <paramref name="warn"/>
    /// (prefixed with <paramref name="where"/>). Pre lists (<paramref name="stopOnFatal"/>) stop at the first failing
    /// <c>on_error: fail</c> hook; post lists run every hook.
    /// </summary>
    public async Task<HookListResult> RunListAsync(
        IReadOnlyList<HookConfig> hooks, string where, bool stopOnFatal, Action<string> warn, CancellationToken cancellationToken)
    {
        int ok = 0, failed = 0;
        string? fatal = null;
        foreach (var hook in hooks)
        {
            var error = await RunAsync(hook, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                ok++;
                continue;
            }

            failed++;
            warn($"{where}: {error}" + (hook.ContinueOnError ? " (on_error: continue)" : string.Empty));
            if (!hook.ContinueOnError)
            {
                fatal ??= error;
                if (stopOnFatal)
                {
                    break;
                }
            }
        }

        return new HookListResult(ok, failed, fatal);
    }

    private async Task<string?> HttpAsync(HttpHook hook, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(hook.Method), hook.Url);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"{Describe(hook)} returned {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            // The exception text may name the full URL; keep only the error kind.
            return $"{Describe(hook)} failed: {e.HttpRequestError}";
        }
    }

    private static async Task<string?> ProcessAsync(IReadOnlyList<string> arguments, string program, CancellationToken cancellationToken)
    {
        var run = await ChildProcess.RunAsync(arguments[0], arguments.Skip(1), captureOutput: false, cancellationToken).ConfigureAwait(false);
        return run.StartError is not null ? run.StartFailure(program) : run.ExitCode == 0 ? null : run.ExitFailure(program);
    }
}
