namespace Stackvault.Configuration;

/// <summary>
/// The typed, immutable configuration (stackvault.yaml): named repositories, component instances and jobs.
/// Dictionaries keep the file's order and are keyed by the configured name (case-sensitive).
/// </summary>
public sealed record StackvaultConfig(
    string SourceName,
    IReadOnlyDictionary<string, RepositoryConfigEntry> Repositories,
    IReadOnlyDictionary<string, ComponentConfig> Components,
    IReadOnlyDictionary<string, JobConfig> Jobs);
