using Stackvault.Errors;

namespace Stackvault.Storage.AzureBlob;

/// <summary>
/// A parsed Azure Blob location: <c>azure://CONTAINER[/PREFIX]</c>. The account and its endpoint come from the
/// environment (<see cref="AzureAccount"/>), as the S3 backend takes its credentials from it.
/// </summary>
public sealed record AzureLocation(string Container, string Prefix)
{
    private const string Form = "use azure://CONTAINER[/PREFIX]";

    /// <summary>Parses an <c>azure:</c> location.</summary>
    /// <exception cref="StackvaultException">The location is malformed (exit code Usage).</exception>
    public static AzureLocation Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.StartsWith("azure://", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(location, $"it does not start with 'azure://'; {Form}");
        }

        var rest = location["azure://".Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..];
        // Container names: 3-63 characters, lower-case letters, digits and single hyphens, starting and ending alphanumeric.
        if (container.Length is < 3 or > 63 || !container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || container[0] == '-' || container[^1] == '-' || container.Contains("--", StringComparison.Ordinal))
        {
            throw Bad(location, $"'{container}' is not a container name (3-63 lower-case letters, digits and single hyphens); {Form}");
        }

        if (prefix.Split('/').Any(p => p.Length == 0 || p is "." or ".." || p.Any(char.IsControl)) && prefix.Length > 0)
        {
            throw Bad(location, $"the prefix '{prefix}' has an empty, '.' or '..' segment; {Form}");
        }

        return new AzureLocation(container, prefix);
    }

    /// <summary>The blob name of a path relative to the prefix.</summary>
    public string KeyOf(string relative) => Prefix.Length == 0 ? relative : Prefix + "/" + relative;

    public override string ToString() => Prefix.Length == 0 ? $"azure://{Container}" : $"azure://{Container}/{Prefix}";

    private static StackvaultException Bad(string location, string why) => new UsageException($"invalid Azure location '{location}': {why}");
}
