using Polly;
using Polly.Retry;

namespace Stackvault.Storage.Transport;

/// <summary>
/// The request shape the object-storage transports share (S3, Azure Blob): each attempt takes one of
/// <c>maxConcurrency</c> slots inside a Polly retry pipeline (so a backoff delay holds no slot), and transient failures
/// are retried <c>retries</c> times with exponential backoff and jitter, timed by the given TimeProvider (tests pass
/// one whose timers fire at once). Nothing is retried once the caller has cancelled. Error mapping stays with each
/// transport.
/// </summary>
internal sealed class GatedRetry : IDisposable
{
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline _pipeline;
    private int _retries;

    public GatedRetry(int maxConcurrency, int retries, TimeSpan baseBackoff, TimeSpan maxBackoff, TimeProvider time, Func<Exception, bool> isTransient)
    {
        ArgumentNullException.ThrowIfNull(isTransient);
        _gate = new SemaphoreSlim(maxConcurrency, maxConcurrency);
        _pipeline = retries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = baseBackoff,
                MaxDelay = maxBackoff,
                ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && args.Outcome.Exception is { } e && isTransient(e)),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return default;
                },
            })
            .Build();
    }

    /// <summary>How many retries happened (for tests and diagnostics).</summary>
    public int RetryCount => Volatile.Read(ref _retries);

    /// <summary>Runs <paramref name="request"/> in a slot, retrying transient failures; the last failure passes through.</summary>
    public ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(
            static async (state, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                await state.Gate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await state.Request(ct).ConfigureAwait(false);
                }
                finally
                {
                    state.Gate.Release();
                }
            },
            (Gate: _gate, Request: request),
            cancellationToken);

    public void Dispose() => _gate.Dispose();
}
