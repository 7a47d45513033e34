using Stackvault.Storage.S3;

namespace Stackvault.Buckets;

/// <summary>
/// Opens a bucket source or target: <c>s3:http(s)://HOST[:PORT]/BUCKET[/PREFIX]</c> or <c>s3://BUCKET[/PREFIX]</c>
/// (parsed and authenticated as the S3 repository backend: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or their _FILE
/// variants or the SDK's chain, AWS_REGION, AWS_CA_BUNDLE), <c>azure://CONTAINER[/PREFIX]</c> (account from
/// AZURE_STORAGE_*, as the Azure repository backend), or a local directory path.
/// </summary>
public static class BucketStores
{
    public static IBucketStore Open(string url, Func<string, string?> getVariable, int concurrency = 8, bool target = false)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(getVariable);
        if (url.StartsWith("azure:", StringComparison.OrdinalIgnoreCase))
        {
            return new AzureBucketStore(Storage.StorageFactory.AzureOptions(url, getVariable) with { MaxConcurrency = Math.Clamp(concurrency * 2, 1, 1024) });
        }

        if (!url.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
        {
            return url.Contains("://", StringComparison.Ordinal)
                ? throw new Errors.UsageException($"unsupported bucket URL '{url}': use s3:http(s)://HOST/BUCKET/PREFIX, s3://BUCKET/PREFIX, azure://CONTAINER/PREFIX or a directory")
                : new DirectoryBucketStore(url, target);
        }

        var location = S3Location.Parse(url);
        var options = new S3StorageOptions(location)
        {
            Region = NonEmpty(getVariable("AWS_REGION")) ?? NonEmpty(getVariable("AWS_DEFAULT_REGION")) ?? "us-east-1",
            CaFile = location.Endpoint?.Scheme == Uri.UriSchemeHttps ? NonEmpty(getVariable("AWS_CA_BUNDLE")) : null,
            Credentials = S3Credentials.FromEnvironment(getVariable),
            MaxConcurrency = Math.Clamp(concurrency * 2, 1, 1024),
            BaseBackoff = TimeSpan.FromMilliseconds(NonEmpty(getVariable("STACKVAULT_S3_BACKOFF_MS")) is { } ms && int.TryParse(ms, out var v) ? v : 200),
            IdleTimeout = IdleTimeout(NonEmpty(getVariable("STACKVAULT_S3_IDLE_TIMEOUT"))),
        };
        return new S3BucketStore(options);
    }

    /// <summary>STACKVAULT_S3_IDLE_TIMEOUT: seconds (fractions allowed) a download may send nothing before it is resumed; default 60.</summary>
    private static TimeSpan IdleTimeout(string? seconds) =>
        seconds is null ? TimeSpan.FromSeconds(60)
        : double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 3600 ? TimeSpan.FromSeconds(s)
        : throw new Errors.UsageException($"STACKVAULT_S3_IDLE_TIMEOUT must be a number of seconds in (0, 3600], not '{seconds}'");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
