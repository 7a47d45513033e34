using Stackvault.Errors;
using Stackvault.Storage.Local;

namespace Stackvault.Storage;

/// <summary>
/// The one place repository locations are parsed. A plain path, <c>local:PATH</c>, <c>file:PATH</c> or
/// <c>file:///PATH</c> opens a <see cref="LocalStorage"/>; <c>s3:</c> is reserved for the S3 backend.
/// Any other <c>scheme:</c> prefix is rejected (write <c>./name:with:colons</c> for such a relative path).
/// </summary>
public static class StorageFactory
{
    /// <summary>Opens the storage named by the location (this does not check that a repository exists there).</summary>
    /// <exception cref="StackvaultException">The location is empty, malformed or of an unsupported kind (exit code Usage).</exception>
    public static IStorage Open(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var trimmed = location.Trim();
        if (trimmed.Length == 0)
        {
            throw new StackvaultException("the repository location is empty", ExitCode.Usage);
        }

        var scheme = SchemeOf(trimmed);
        var path = scheme switch
        {
            null => trimmed,
            "local" => trimmed["local:".Length..],
            "file" => FilePath(trimmed),
            "s3" => throw new StackvaultException("s3 repositories are not supported yet", ExitCode.Usage),
            _ => throw new StackvaultException(
                $"unsupported repository location '{location}': unknown scheme '{scheme}:' (use a path, local:PATH or file:PATH)",
                ExitCode.Usage),
        };
        if (path.Length == 0)
        {
            throw new StackvaultException($"the repository location '{location}' has no path", ExitCode.Usage);
        }

        return new LocalStorage(new LocalStorageOptions(path), location);
    }

    /// <summary>The lower-cased URL scheme (two or more letters, digits, '+', '-', '.'), or null for a plain path.</summary>
    private static string? SchemeOf(string location)
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
            throw new StackvaultException($"file URL '{location}' names host '{host}'; only local paths are supported", ExitCode.Usage);
        }

        return slash < 0 ? string.Empty : Uri.UnescapeDataString(rest[slash..]);
    }
}
