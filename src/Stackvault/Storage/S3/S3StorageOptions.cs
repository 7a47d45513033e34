using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>Options of an <see cref="S3Storage"/>; <see cref="Validate"/> checks them before any request is made.</summary>
public sealed record S3StorageOptions
{
    public const long MiB = 1024 * 1024;

    private static readonly string[] ColdStorageClasses = ["GLACIER", "DEEP_ARCHIVE"];

    public S3StorageOptions(S3Location location)
    {
        Location = location;
    }

    /// <summary>Endpoint (null: AWS), bucket and key prefix.</summary>
    public S3Location Location { get; init; }

    /// <summary>The signing region; also selects the AWS endpoint when <see cref="S3Location.Endpoint"/> is null.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>); defaults to true for custom endpoints.</summary>
    public bool? PathStyle { get; init; }

    /// <summary>Static credentials, or null for the SDK's default chain (AWS_PROFILE, shared files, instance roles).</summary>
    public S3Credentials? Credentials { get; init; }

    /// <summary>Storage class of new objects (e.g. STANDARD_IA), or null for the bucket's default.</summary>
    public string? StorageClass { get; init; }

    /// <summary>A PEM file of CA certificates to trust for an https endpoint (in addition to nothing else), or null.</summary>
    public string? CaFile { get; init; }

    /// <summary>Upper bound of requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Objects larger than this go through a multipart upload.</summary>
    public long MultipartThreshold { get; init; } = 64 * MiB;

    /// <summary>Size of each part of a multipart upload (S3's minimum is 5 MiB except for the last part).</summary>
    public long PartSize { get; init; } = 16 * MiB;

    /// <summary>
    /// Retries of transient failures (connection resets, 5xx, SlowDown) by the transport's Polly pipeline; the SDK's
    /// own retries are off, so a request is sent at most 1 + Retries times.
    /// </summary>
    public int Retries { get; init; } = 8;

    /// <summary>The clock of the retry delays (tests pass one whose timers fire at once).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>First backoff delay; it doubles per retry, with full jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Send <c>If-None-Match: *</c> on writes (servers that ignore it are still covered by a HEAD check).</summary>
    public bool ConditionalWrites { get; init; } = true;

    /// <summary>CreateLayoutAsync creates the bucket when it does not exist.</summary>
    public bool CreateBucket { get; init; }

    /// <summary>A download that sends nothing for this long is given up and resumed from where it stopped (STACKVAULT_S3_IDLE_TIMEOUT).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Checks the options.</summary>
    /// <exception cref="StackvaultException">An option is out of range (exit code Usage).</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Location);
        Require(!string.IsNullOrWhiteSpace(Region) && Region.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'),
            $"invalid S3 region '{Region}'");
        Require(MaxConcurrency is >= 1 and <= 1024, $"S3 max concurrency must be 1..1024, not {MaxConcurrency}");
        Require(PartSize is >= 5 * MiB and <= 5L * 1024 * MiB, $"S3 part size must be 5 MiB..5 GiB, not {PartSize}");
        Require(MultipartThreshold >= 1, $"S3 multipart threshold must be positive, not {MultipartThreshold}");
        Require(Retries is >= 0 and <= 20, "S3 retries must be 0..20");
        ArgumentNullException.ThrowIfNull(Time);
        Require(BaseBackoff >= TimeSpan.Zero && MaxBackoff >= BaseBackoff, "S3 backoff must satisfy 0 <= base <= max");
        Require(IdleTimeout > TimeSpan.Zero && IdleTimeout <= TimeSpan.FromHours(1), $"S3 idle timeout must be more than 0 and at most 1 hour, not {IdleTimeout.TotalSeconds} s");
        if (StorageClass is not null)
        {
            Require(StorageClass.Length > 0 && StorageClass.All(c => char.IsAsciiLetterUpper(c) || c == '_'),
                $"invalid S3 storage class '{StorageClass}' (expected e.g. STANDARD, STANDARD_IA, INTELLIGENT_TIERING)");
            Require(!ColdStorageClasses.Contains(StorageClass),
                $"S3 storage class {StorageClass} cannot be read without a restore; use GLACIER_IR or a warm class");
        }

        if (CaFile is not null)
        {
            Require(File.Exists(CaFile), $"S3 CA file '{CaFile}' does not exist");
            Require(Location.Endpoint?.Scheme == Uri.UriSchemeHttps, "an S3 CA file needs an https:// endpoint");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UsageException(message);
        }
    }
}
