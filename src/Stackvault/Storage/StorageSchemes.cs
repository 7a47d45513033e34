using Stackvault.Errors;
using Stackvault.Storage.AzureBlob;
using Stackvault.Storage.S3;

namespace Stackvault.Storage;

/// <summary>
/// The one list of what the storage backends can open: the schemes of repository locations (<see cref="StorageFactory"/>)
/// and of bucket URLs (<see cref="Buckets.BucketStores"/>). <c>config validate</c> reads it, so a location it accepts
/// is one the commands open. A new backend adds its scheme here together with its case in the factory.
/// </summary>
public static class StorageSchemes
{
    /// <summary>Repository location schemes besides a plain path.</summary>
    public static IReadOnlyList<string> Repository { get; } = ["local", "file", "s3", "azure"];

    /// <summary>Bucket URL schemes besides a directory path.</summary>
    public static IReadOnlyList<string> Bucket { get; } = ["s3", "azure"];

    /// <summary>Null when <paramref name="location"/> is a repository location the commands can open, else why not.</summary>
    public static string? RepositoryProblem(string location)
    {
        var trimmed = location.Trim();
        if (trimmed.Length == 0)
        {
            return "is empty";
        }

        var scheme = StorageFactory.SchemeOf(trimmed);
        if (scheme is null)
        {
            return trimmed.StartsWith('/') ? null : "must be an absolute path or a URL (local:, file:, s3://...)";
        }

        if (!Repository.Contains(scheme))
        {
            return $"scheme '{scheme}:' has no storage backend in this version: use a path, local:PATH, file:PATH or {string.Join(", ", Repository.Where(s => s is not ("local" or "file")).Select(s => s + "://..."))}";
        }

        if (trimmed.Contains('@', StringComparison.Ordinal) && Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
        {
            return "must not hold a password: use password, password_file or password_command";
        }

        return scheme switch
        {
            "s3" => ParseProblem(() => S3Location.Parse(trimmed)),
            "azure" => ParseProblem(() => AzureLocation.Parse(trimmed)),
            _ => null,
        };
    }

    /// <summary>Null when <paramref name="url"/> is a bucket the commands can open (an absolute directory or an S3 URL without credentials), else why not.</summary>
    public static string? BucketProblem(string url)
    {
        if (url.StartsWith('/'))
        {
            return null;
        }

        var scheme = StorageFactory.SchemeOf(url);
        if (scheme is null || !Bucket.Contains(scheme))
        {
            return $"must be an absolute path or an {string.Join(" or ", Bucket.Select(s => s + "://"))} URL without credentials{(scheme is null ? string.Empty : $"; '{scheme}:' has no bucket backend in this version")}";
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            return "must not hold credentials: they come from the environment (AWS_ACCESS_KEY_ID, AZURE_STORAGE_KEY, ...)";
        }

        return scheme switch
        {
            "s3" => ParseProblem(() => S3Location.Parse(url)),
            "azure" => ParseProblem(() => AzureLocation.Parse(url)),
            _ => null,
        };
    }

    private static string? ParseProblem(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (StackvaultException e)
        {
            return e.Message;
        }
    }
}
