namespace Stackvault.Configuration;

/// <summary>
/// A named repository: its location (an absolute path, or a URL with a scheme) and its password source, after
/// environment overrides (<c>STACKVAULT_REPOSITORY_&lt;NAME&gt;_PASSWORD</c>, <c>_PASSWORD_FILE</c>, <c>_PASSWORD_COMMAND</c>).
/// </summary>
public sealed record RepositoryConfigEntry(string Name, string Url, SecretValue? Password, int Line);
