using Stackvault.Components;
using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Restore.Live;

/// <summary>
/// Talks to a component's running engine around a live restore through the engine's own probe
/// (<see cref="IEngine.Probe"/>): its version, its readiness and the post-restore check. An engine without a probe
/// (files, command) has no version, is ready, and is checked by the files' hashes.
/// </summary>
public sealed class EngineProbe(HttpClient http, TimeProvider time)
{
    private readonly EngineServices _services = new(http, time, RepositoryEncrypted: true);

    private IEngineProbe? ProbeOf(ComponentConfig component) => EngineCatalog.Of(component).Probe(_services);

    /// <summary>The running engine's version, or null when the component has no endpoint to ask.</summary>
    public async Task<string?> VersionAsync(ComponentConfig component, CancellationToken cancellationToken) =>
        ProbeOf(component) is { } probe ? await probe.VersionAsync(component, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Null when the engine answers ready (or has nothing to ask), else why not.</summary>
    public async Task<string?> ReadyAsync(ComponentConfig component, CancellationToken cancellationToken)
    {
        try
        {
            return ProbeOf(component) is { } probe ? await probe.ReadyAsync(component, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (HttpRequestException e)
        {
            return "no answer: " + e.Message.ReplaceLineEndings(" ");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "no answer within the HTTP timeout";
        }
    }

    /// <summary>The post-restore check, after readiness. Failure is null when ok; Summary says what was checked.</summary>
    public async Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken) =>
        ProbeOf(component) is { } probe ? await probe.CheckAsync(component, section, databases, cancellationToken).ConfigureAwait(false) : (null, "every file verified against its hashes");
}
