namespace Stackvault.Components;

/// <summary>What engines are built with: the HTTP client for engine APIs, the clock, and whether the repository is encrypted (secrets go only there).</summary>
public sealed record EngineServices(HttpClient Http, TimeProvider Time, bool RepositoryEncrypted);
