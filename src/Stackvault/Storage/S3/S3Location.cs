using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>
/// A parsed S3 repository location. Two forms:
/// <c>s3://BUCKET[/PREFIX]</c> (the AWS endpoint of the region, virtual-host style) and
/// <c>s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]</c> (a custom endpoint such as MinIO or s3rver, path style).
/// </summary>
public sealed record S3Location(Uri? Endpoint, string Bucket, string Prefix)
{
    private const string Forms = "use s3://BUCKET[/PREFIX] or s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]";

    /// <summary>True for a custom endpoint, which is addressed path-style.</summary>
    public bool PathStyle => Endpoint is not null;

    /// <summary>Parses an <c>s3:</c> location.</summary>
    /// <exception cref="StackvaultException">The location is malformed; the message names the bad part (exit code Usage).</exception>
    public static S3Location Parse(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(location, $"it does not start with 's3:'; {Forms}");
        }

        var rest = location[3..];
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var (bucket, prefix) = SplitPath(location, rest[2..]);
            return new S3Location(null, bucket, prefix);
        }

        if (!rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw Bad(location, $"'{rest}' is neither //BUCKET nor an http(s):// endpoint; {Forms}");
        }

        if (!Uri.TryCreate(rest, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw Bad(location, $"the endpoint '{rest}' is not a valid http(s) URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Bad(location, "credentials in the URL are not accepted; use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Bad(location, $"the endpoint has a query or fragment ('{uri.Query}{uri.Fragment}')");
        }

        var endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority));
        var (b, p) = SplitPath(location, Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')));
        return new S3Location(endpoint, b, p);
    }

    /// <summary>The key of an object: <c>PREFIX/relative</c>, or just <c>relative</c> without a prefix.</summary>
    public string KeyOf(string relativePath) => Prefix.Length == 0 ? relativePath : Prefix + "/" + relativePath;

    public override string ToString() =>
        Endpoint is null ? $"s3://{Bucket}/{Prefix}".TrimEnd('/') : $"s3:{Endpoint.GetLeftPart(UriPartial.Authority)}/{Bucket}/{Prefix}".TrimEnd('/');

    private static (string Bucket, string Prefix) SplitPath(string location, string path)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? path : path[..slash];
        var prefix = slash < 0 ? string.Empty : path[(slash + 1)..].TrimEnd('/');
        if (bucket.Length == 0)
        {
            throw Bad(location, $"the bucket name is missing; {Forms}");
        }

        if (!IsBucketName(bucket))
        {
            throw Bad(location, $"'{bucket}' is not a valid bucket name (3-63 characters: a-z, 0-9, '.', '-'; starts and ends with a letter or digit)");
        }

        foreach (var segment in prefix.Length == 0 ? [] : prefix.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Any(char.IsControl))
            {
                throw Bad(location, $"the prefix '{prefix}' has an empty, '.', '..' or control-character segment");
            }
        }

        return (bucket, prefix);
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789.-") < 0
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
        && !name.Contains("..", StringComparison.Ordinal);

    private static StackvaultException Bad(string location, string detail) =>
        new UsageException($"invalid S3 repository location '{location}': {detail}");
}
