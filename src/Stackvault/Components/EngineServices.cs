namespace Stackvault.Components;

/// <summary>
/// What engines are built with: the HTTP client for engine APIs, the clock, whether the repository is encrypted
/// (secrets go only there), and the repository's earlier snapshots for an adapter that skips reading what has not
/// changed since (<see cref="ComponentHistory"/>; null when the run must read everything, as with --force).
/// </summary>
public sealed record EngineServices(HttpClient Http, TimeProvider Time, bool RepositoryEncrypted, ComponentHistory? History = null);
