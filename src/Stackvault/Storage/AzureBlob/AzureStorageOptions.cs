using Stackvault.Errors;

namespace Stackvault.Storage.AzureBlob;

/// <summary>Options of an <see cref="AzureStorage"/> (and of the Azure bucket store).</summary>
public sealed record AzureStorageOptions(AzureLocation Location, AzureAccount Account)
{
    public const long MiB = 1024 * 1024;

    /// <summary>Upper bound of requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Blobs up to this size go up in one Put Blob; larger ones as staged blocks committed at once.</summary>
    public long SingleUploadLimit { get; init; } = 64 * MiB;

    /// <summary>Size of each staged block above <see cref="SingleUploadLimit"/>.</summary>
    public long BlockSize { get; init; } = 16 * MiB;

    /// <summary>Retries of transient failures (timeouts, 408, 429, 5xx, connection resets) by the Polly pipeline; the SDK's own are off.</summary>
    public int Retries { get; init; } = 8;

    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of the retry delays (tests pass one whose timers fire at once).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Location);
        ArgumentNullException.ThrowIfNull(Account);
        ArgumentNullException.ThrowIfNull(Time);
        Require(MaxConcurrency is >= 1 and <= 1024, $"Azure max concurrency must be 1..1024, not {MaxConcurrency}");
        Require(Retries is >= 0 and <= 20, "Azure retries must be 0..20");
        Require(BlockSize is >= MiB and <= 4000 * MiB, $"Azure block size must be 1 MiB..4000 MiB, not {BlockSize}");
        Require(SingleUploadLimit is >= 1 and <= 5000 * MiB, $"Azure single upload limit must be 1 byte..5000 MiB, not {SingleUploadLimit}");
        Require(BaseBackoff >= TimeSpan.Zero && MaxBackoff >= BaseBackoff, "Azure backoff must satisfy 0 <= base <= max");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new UsageException(message);
        }
    }
}
