using Polly;
using Polly.Retry;

namespace Stackvault.Storage.S3.Transport;

/// <summary>
/// The retry pipeline of <see cref="S3Transport"/>: <see cref="S3StorageOptions.Retries"/> retries of transient
/// failures, exponential backoff from <see cref="S3StorageOptions.BaseBackoff"/> up to
/// <see cref="S3StorageOptions.MaxBackoff"/> with jitter, delays taken from <see cref="S3StorageOptions.Time"/> (tests
/// pass a TimeProvider whose timers fire at once). Nothing is retried once the caller has cancelled.
/// </summary>
internal static class S3RetryPipeline
{
    public static ResiliencePipeline Build(S3StorageOptions options, Action onRetry)
    {
        if (options.Retries == 0)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseBackoff,
                MaxDelay = options.MaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(
                    !args.Context.CancellationToken.IsCancellationRequested && args.Outcome.Exception is { } e && S3Transport.IsTransient(e)),
                OnRetry = _ =>
                {
                    onRetry();
                    return default;
                },
            })
            .Build();
    }
}
