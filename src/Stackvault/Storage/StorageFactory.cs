using Stackvault.Errors;
using Stackvault.Storage.AzureBlob;
using Stackvault.Storage.Local;
using Stackvault.Storage.S3;

namespace Stackvault.Storage;

/// <summary>
/// The one place repository locations are parsed. A plain path, <c>local:PATH</c>, <c>file:PATH</c> or
/// <c>file:///PATH</c> opens a <see cref="LocalStorage"/>; <c>s3://BUCKET[/PREFIX]</c> and
/// <c>s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]</c> open an <see cref="S3Storage"/> (see <see cref="S3Location"/>);
/// <c>azure://CONTAINER[/PREFIX]</c> opens an <see cref="AzureStorage"/> (account from the environment, see
/// <see cref="AzureAccount"/>). Any other <c>scheme:</c> prefix is rejected (write <c>./name:with:colons</c> for such a relative path).
/// </summary>
public static class StorageFactory
{
    /// <summary>Opens the storage named by the location (this does not check that a repository exists there).</summary>
    /// <exception cref="StackvaultException">The location is empty, malformed or of an unsupported kind (exit code Usage).</exception>
    public static IStorage Open(string location) => Open(location, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Open(string)"/>, with the environment (S3 credentials and settings) given explicitly.</summary>
    public static IStorage Open(string location, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(location);
        var trimmed = location.Trim();
        if (trimmed.Length == 0)
        {
            throw new UsageException("the repository location is empty");
        }

        var scheme = SchemeOf(trimmed);
        var path = scheme switch
        {
            null => trimmed,
            "local" => trimmed["local:".Length..],
            "file" => FilePath(trimmed),
            "s3" or "azure" => null,
            _ => throw new UsageException(
                $"unsupported repository location '{location}': unknown scheme '{scheme}:' (use a path, local:PATH, file:PATH, s3://BUCKET[/PREFIX], s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX] or azure://CONTAINER[/PREFIX])"),
        };
        if (path is null)
        {
            return scheme == "azure" ? OpenAzure(location, trimmed, getVariable) : OpenS3(location, trimmed, getVariable);
        }

        if (path.Length == 0)
        {
            throw new UsageException($"the repository location '{location}' has no path");
        }

        return new LocalStorage(new LocalStorageOptions(path), location);
    }

    /// <summary>
    /// Settings from the environment: AWS_REGION (or AWS_DEFAULT_REGION), AWS_CA_BUNDLE (a PEM file of CAs for an https
    /// custom endpoint; the AWS endpoint uses the system store), STACKVAULT_S3_STORAGE_CLASS, and the credentials of <see cref="S3Credentials.FromEnvironment"/>.
    /// </summary>
    private static S3Storage OpenS3(string location, string trimmed, Func<string, string?> getVariable)
    {
        var parsed = S3Location.Parse(trimmed);
        var options = new S3StorageOptions(parsed)
        {
            Region = NonEmpty(getVariable("AWS_REGION")) ?? NonEmpty(getVariable("AWS_DEFAULT_REGION")) ?? "us-east-1",
            CaFile = parsed.Endpoint?.Scheme == Uri.UriSchemeHttps ? NonEmpty(getVariable("AWS_CA_BUNDLE")) : null,
            StorageClass = NonEmpty(getVariable("STACKVAULT_S3_STORAGE_CLASS")),
            Credentials = S3Credentials.FromEnvironment(getVariable),
        };
        return new S3Storage(options, location);
    }

    /// <summary>The account from AZURE_STORAGE_* (see <see cref="AzureAccount"/>); STACKVAULT_AZURE_BACKOFF_MS sets the first retry delay.</summary>
    public static AzureStorageOptions AzureOptions(string location, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        return new AzureStorageOptions(AzureLocation.Parse(location), AzureAccount.FromEnvironment(getVariable))
        {
            BaseBackoff = TimeSpan.FromMilliseconds(NonEmpty(getVariable("STACKVAULT_AZURE_BACKOFF_MS")) is { } ms && int.TryParse(ms, out var v) && v >= 0 ? v : 200),
        };
    }

    private static AzureStorage OpenAzure(string location, string trimmed, Func<string, string?> getVariable) =>
        new(AzureOptions(trimmed, getVariable), location);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The lower-cased URL scheme (two or more letters, digits, '+', '-', '.'), or null for a plain path.</summary>
    /// <summary>True when <paramref name="location"/> names a local directory (a path, local:PATH or file:PATH).</summary>
    public static bool IsLocal(string location) => SchemeOf(location.Trim()) is null or "local" or "file";

    internal static string? SchemeOf(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2 || !char.IsAsciiLetter(location[0]))
        {
            return null; // also keeps Windows-style "C:" out of the scheme space
        }

        for (var i = 1; i < colon; i++)
        {
            var c = location[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return null;
            }
        }

        return location[..colon].ToLowerInvariant();
    }

    private static string FilePath(string location)
    {
        var rest = location["file:".Length..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return rest; // file:/abs/path or file:relative
        }

        // file://HOST/path: only an empty host or localhost names this machine.
        var slash = rest.IndexOf('/', 2);
        var host = slash < 0 ? rest[2..] : rest[2..slash];
        if (host.Length > 0 && !host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageException($"file URL '{location}' names host '{host}'; only local paths are supported");
        }

        return slash < 0 ? string.Empty : Uri.UnescapeDataString(rest[slash..]);
    }
}
