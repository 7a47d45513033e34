using Stackvault.Configuration;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// Talks to a running engine around a live restore. Every answer is a short, secret-free line.
/// </summary>
public interface IEngineProbe
{
    /// <summary>The running engine's version, or null when it does not say.</summary>
    Task<string?> VersionAsync(ComponentConfig component, CancellationToken cancellationToken);

    /// <summary>Null when the engine answers ready, else why not. HTTP failures may throw; the caller words them.</summary>
    Task<string?> ReadyAsync(ComponentConfig component, CancellationToken cancellationToken);

    /// <summary>The post-restore check: Failure null when ok; Summary says what was checked.</summary>
    Task<(string? Failure, string Summary)> CheckAsync(ComponentConfig component, ComponentSection section, IReadOnlyList<string> databases, CancellationToken cancellationToken);
}
