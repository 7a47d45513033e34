using System.Net.Sockets;
using global::Azure;
using global::Azure.Storage.Blobs;
using Polly;
using Polly.Retry;
using Stackvault.Errors;

namespace Stackvault.Storage.AzureBlob;

/// <summary>
/// Every request of the Azure backends (<see cref="AzureStorage"/>, <c>Buckets/AzureBucketStore</c>) goes through
/// <see cref="SendAsync{T}"/>: bounded concurrency, a Polly retry pipeline for transient failures (timed by the
/// options' TimeProvider; the SDK's own retries are off) and one mapping of errors to user messages. A 404 passes
/// through unchanged (the caller decides what absent means) except for a missing container.
/// </summary>
public sealed class AzureTransport : IDisposable
{
    private readonly AzureStorageOptions _options;
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline _pipeline;
    private int _retries;

    public AzureTransport(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        Container = options.Account.CreateClient().GetBlobContainerClient(options.Location.Container);
        _pipeline = options.Retries == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder { TimeProvider = options.Time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseBackoff,
                MaxDelay = options.MaxBackoff,
                ShouldHandle = args => ValueTask.FromResult(!args.Context.CancellationToken.IsCancellationRequested && args.Outcome.Exception is { } e && IsTransient(e)),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return default;
                },
            })
            .Build();
    }

    public BlobContainerClient Container { get; }

    public int RetryCount => Volatile.Read(ref _retries);

    public async Task<T> SendAsync<T>(string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _pipeline.ExecuteAsync(
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
                cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsNotFound(e))
        {
            throw;
        }
        catch (Exception e) when (Map(e, key) is { } mapped)
        {
            throw mapped;
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>A missing blob (not a missing container).</summary>
    public static bool IsNotFound(RequestFailedException e) => e.Status == 404 && e.ErrorCode != "ContainerNotFound";

    internal static bool IsTransient(Exception e) => e switch
    {
        OperationCanceledException => false,
        RequestFailedException { Status: 408 or 429 or 500 or 502 or 503 or 504 } => true,
        RequestFailedException { Status: > 0 } => false,
        _ when Refused(e) => false,
        RequestFailedException { InnerException: { } inner } => IsTransient(inner),
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        AggregateException { InnerExceptions: [var inner] } => IsTransient(inner),
        _ => false,
    };

    private static bool Refused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.TryAgain or SocketError.NetworkUnreachable or SocketError.HostUnreachable })
            {
                return true;
            }
        }

        return false;
    }

    private StackvaultException? Map(Exception e, string key)
    {
        if (e is OperationCanceledException or StackvaultException)
        {
            return null;
        }

        var what = $"azure://{_options.Location.Container}/{key}";
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return e switch
        {
            RequestFailedException { Status: 403 or 401 } r => new StackvaultException($"access denied to {what}: check the Azure credentials ({r.ErrorCode})", e),
            RequestFailedException { ErrorCode: "ContainerNotFound" } => new LocationNotFoundException($"container '{_options.Location.Container}' does not exist at {_options.Account}", e),
            _ when Refused(e) => new LocationNotFoundException($"cannot reach Azure endpoint of {_options.Account}: {inner.Message}", e),
            RequestFailedException r => new StackvaultException($"Azure request for {what} failed: {r.Status} {r.ErrorCode}: {FirstLine(r.Message)}", e),
            HttpRequestException or IOException or SocketException or TimeoutException or AggregateException => new StackvaultException($"Azure request for {what} failed: {inner.Message}", e),
            _ => null,
        };
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
