using Stackvault.Errors;
using Polly;
using Polly.Retry;

namespace Stackvault.Locking;

/// <summary>
/// The retry of <see cref="LockManager.AcquireAsync"/>: while the repository is locked by a conflicting holder and
/// <see cref="LockOptions.RetryFor"/> has not run out, wait (200 ms doubling to 5 s, jittered by x0.5..1.5, never past
/// the deadline) and try again. Delays come from the injected TimeProvider.
/// </summary>
internal static class LockRetryPipeline
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    public static ResiliencePipeline Build(TimeProvider time, long started, TimeSpan retryFor)
    {
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is RepositoryLockedException && time.GetElapsedTime(started) < retryFor),
                DelayGenerator = args =>
                {
                    var backoff = args.AttemptNumber >= 5 ? MaxBackoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << args.AttemptNumber));
                    var jittered = backoff * (0.5 + Random.Shared.NextDouble());
                    var left = retryFor - time.GetElapsedTime(started);
                    return ValueTask.FromResult<TimeSpan?>(jittered < left ? jittered : (left > TimeSpan.Zero ? left : TimeSpan.Zero));
                },
            })
            .Build();
    }
}
