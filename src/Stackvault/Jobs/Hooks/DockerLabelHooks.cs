using System.Text.Json;
using Stackvault.Configuration;

namespace Stackvault.Jobs.Hooks;

/// <summary>
/// Runs <see cref="DockerLabelHook"/>s for one run and remembers, per group, the containers its stop hooks stopped,
/// so that the start hook starts exactly those (never one that was already stopped before), last stopped first.
/// Discovery: <c>docker ps --filter label=KEY=GROUP --format {{.Names}}</c> (running containers), then
/// <c>docker inspect</c> for the exec labels. Exec labels run as <c>docker exec NAME sh -c COMMAND</c>.
/// </summary>
public sealed class DockerLabelHooks
{
    private readonly Dictionary<string, List<string>> _stopped = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Null on success, else why the hook failed.</summary>
    public async Task<string?> RunAsync(DockerLabelHook hook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return hook.Action == DockerAction.Stop
            ? await StopAsync(hook.Group, cancellationToken).ConfigureAwait(false)
            : await StartAsync(hook.Group, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> StopAsync(string group, CancellationToken cancellationToken)
    {
        var (execs, execError) = await ExecCommandsAsync(group, DockerLabelHook.ExecPreLabel, cancellationToken).ConfigureAwait(false);
        if (execError is not null)
        {
            return execError;
        }

        foreach (var (container, command) in execs)
        {
            if ((await DockerCli.RunAsync(["exec", container, "sh", "-c", command], cancellationToken).ConfigureAwait(false)).Error is { } error)
            {
                return $"{DockerLabelHook.ExecPreLabel} of {container}: {error}";
            }
        }

        var (names, psError) = await RunningAsync(DockerLabelHook.StopLabel, group, cancellationToken).ConfigureAwait(false);
        if (psError is not null)
        {
            return psError;
        }

        foreach (var name in names)
        {
            // Recorded before the stop: a stop that fails or is cut half-way is still started again after.
            lock (_gate)
            {
                if (!_stopped.TryGetValue(group, out var list))
                {
                    _stopped[group] = list = [];
                }

                list.Add(name);
            }

            if ((await DockerCli.RunAsync(["stop", name], cancellationToken).ConfigureAwait(false)).Error is { } error)
            {
                return $"stopping {name}: {error}";
            }
        }

        return null;
    }

    private async Task<string?> StartAsync(string group, CancellationToken cancellationToken)
    {
        List<string> stopped;
        lock (_gate)
        {
            stopped = _stopped.Remove(group, out var list) ? list : [];
        }

        var errors = new List<string>();
        foreach (var name in Enumerable.Reverse(stopped))
        {
            if ((await DockerCli.RunAsync(["start", name], cancellationToken).ConfigureAwait(false)).Error is { } error)
            {
                errors.Add($"starting {name}: {error}");
            }
        }

        var (execs, execError) = await ExecCommandsAsync(group, DockerLabelHook.ExecPostLabel, cancellationToken).ConfigureAwait(false);
        if (execError is not null)
        {
            errors.Add(execError);
        }

        foreach (var (container, command) in execs)
        {
            if ((await DockerCli.RunAsync(["exec", container, "sh", "-c", command], cancellationToken).ConfigureAwait(false)).Error is { } error)
            {
                errors.Add($"{DockerLabelHook.ExecPostLabel} of {container}: {error}");
            }
        }

        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private static async Task<(List<string> Names, string? Error)> RunningAsync(string label, string group, CancellationToken cancellationToken)
    {
        var (output, error) = await DockerCli.RunAsync(["ps", "--filter", $"label={label}={group}", "--format", "{{.Names}}"], cancellationToken).ConfigureAwait(false);
        return error is not null ? ([], error)
            : ([.. output!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)], null);
    }

    /// <summary>The (container, command) pairs of <paramref name="label"/> among the group's running containers, by name.</summary>
    private static async Task<(List<(string Container, string Command)> Execs, string? Error)> ExecCommandsAsync(string group, string label, CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in new[] { DockerLabelHook.GroupLabel, DockerLabelHook.StopLabel })
        {
            var (found, error) = await RunningAsync(key, group, cancellationToken).ConfigureAwait(false);
            if (error is not null)
            {
                return ([], error);
            }

            names.UnionWith(found);
        }

        if (names.Count == 0)
        {
            return ([], null);
        }

        var (output, inspectError) = await DockerCli.RunAsync(["inspect", "--type", "container", .. names], cancellationToken).ConfigureAwait(false);
        if (inspectError is not null)
        {
            return ([], inspectError);
        }

        var execs = new List<(string, string)>();
        try
        {
            using var document = JsonDocument.Parse(output!);
            foreach (var container in document.RootElement.EnumerateArray())
            {
                var name = container.GetProperty("Name").GetString()!.TrimStart('/');
                if (container.TryGetProperty("Config", out var config) && config.TryGetProperty("Labels", out var labels)
                    && labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(label, out var command)
                    && command.GetString() is { Length: > 0 } text)
                {
                    execs.Add((name, text));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return ([], "docker inspect printed no container list");
        }

        return ([.. execs.OrderBy(e => e.Item1, StringComparer.Ordinal)], null);
    }
}
