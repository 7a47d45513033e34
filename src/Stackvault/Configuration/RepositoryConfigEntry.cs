namespace Stackvault.Configuration;

/// <summary>
/// A named repository: its location (an absolute path, or a URL with a scheme) and its password source, after
/// environment overrides (<c>STACKVAULT_REPOSITORY_&lt;NAME&gt;_PASSWORD</c>, <c>_PASSWORD_FILE</c>, <c>_PASSWORD_COMMAND</c>).
/// <see cref="Retention"/> is this repository's own retention (a hot, warm or cold tier keeps its own span): it
/// applies to every job's snapshots here, before the job's <c>retention</c> when the repository is a <c>copy_to</c>
/// tier, after it when it is the job's own repository (docs/tiers.md).
/// </summary>
public sealed record RepositoryConfigEntry(string Name, string Url, SecretValue? Password, int Line)
{
    public RetentionConfig? Retention { get; init; }
}
