using System.ComponentModel;
using System.Diagnostics;
using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Platform;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// The kubectl CLI for one component: every call gets <c>--kubeconfig</c>, <c>--context</c> (when configured) and
/// <c>--namespace</c>. Failures name the kubectl verb, the exit code and kubectl's first stderr line, never a whole
/// command line. <see cref="Program"/> is <c>kubectl</c> from PATH unless a test gives a stand-in.
/// </summary>
public sealed class Kubectl(KubernetesComponent component, string program = "kubectl")
{

    public string Program => program;

    public string Namespace => component.Namespace;

    /// <summary>The arguments of a call: the cluster and namespace options, then <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> arguments)
    {
        var all = new List<string>();
        if (component.Kubeconfig is { } kubeconfig)
        {
            all.Add("--kubeconfig=" + kubeconfig);
        }

        if (component.Context is { } context)
        {
            all.Add("--context=" + context);
        }

        all.Add("--namespace=" + component.Namespace);
        all.AddRange(arguments);
        return all;
    }

    /// <summary>Runs kubectl and returns its stdout; a non-zero exit throws <see cref="StackvaultException"/>.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, Func<Stream, CancellationToken, Task>? stdin = null)
    {
        using var process = Start(arguments, stdin is not null);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = ChildProcess.FirstLineAsync(process.StandardError);
        try
        {
            if (stdin is not null)
            {
                try
                {
                    await stdin(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    try
                    {
                        process.StandardInput.Close();
                    }
                    catch (IOException)
                    {
                        // kubectl exited early; its exit code says why.
                    }
                }
            }
            else
            {
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // kubectl closed its stdin early (it failed): its exit code and stderr say why. The broken pipe can be seen
            // a moment before the exit is, hence the short wait rather than a look at HasExited.
            if (!await ExitsSoonAsync(process).ConfigureAwait(false))
            {
                ChildProcess.Kill(process);
                throw;
            }
        }
        catch (Exception)
        {
            // Cancelled, or the input was refused (a hostile archive): kubectl must not finish on a cut stream.
            ChildProcess.Kill(process);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var line = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new StackvaultException($"kubectl {arguments[0]} failed (exit {process.ExitCode})" + (line.Length > 0 ? ": " + line : string.Empty));
        }

        return output;
    }

    private static async Task<bool> ExitsSoonAsync(System.Diagnostics.Process process)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts kubectl and returns its stdout as a stream that fails at its end on a non-zero exit.</summary>
    public Stream OpenOutput(IReadOnlyList<string> arguments, TimeSpan? timeout)
    {
        var process = Start(arguments, redirectInput: false);
        return new CommandOutputStream(process, "kubectl " + arguments[0], timeout);
    }

    private Process Start(IReadOnlyList<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            var process = Process.Start(start) ?? throw new StackvaultException("kubectl could not start");
            if (!redirectInput)
            {
                process.StandardInput.Close();
            }

            return process;
        }
        catch (Win32Exception e)
        {
            throw new StackvaultException($"kubectl could not start ({e.Message}): install it and configure its kubeconfig", e);
        }
    }
}
