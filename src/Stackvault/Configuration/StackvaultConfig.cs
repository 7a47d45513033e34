namespace Stackvault.Configuration;

/// <summary>
/// The typed, immutable configuration (stackvault.yaml): named repositories, component instances and jobs.
/// Dictionaries keep the file's order and are keyed by the configured name (case-sensitive).
/// </summary>
public sealed record StackvaultConfig(
    string SourceName,
    IReadOnlyDictionary<string, RepositoryConfigEntry> Repositories,
    IReadOnlyDictionary<string, ComponentConfig> Components,
    IReadOnlyDictionary<string, JobConfig> Jobs)
{
    /// <summary>The named notification targets of <c>notifications:</c> (docs/notifications.md).</summary>
    public IReadOnlyDictionary<string, NotificationTarget> Notifications { get; init; } = new Dictionary<string, NotificationTarget>(StringComparer.Ordinal);

    /// <summary>Where the failsafe export is written after every run (<c>failsafe:</c>); null for none.</summary>
    public FailsafeConfig? Failsafe { get; init; }
}
