namespace Stackvault.Configuration;

/// <summary>Where a <see cref="SecretValue"/> comes from.</summary>
public enum SecretSourceKind
{
    Inline,
    File,
    Command,
    Environment,
}
