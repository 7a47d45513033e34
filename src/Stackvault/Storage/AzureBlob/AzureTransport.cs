using System.Net.Sockets;
using global::Azure;
using global::Azure.Storage.Blobs;
using Stackvault.Errors;
using Stackvault.Storage.Transport;

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
    private readonly GatedRetry _requests;

    public AzureTransport(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _requests = new GatedRetry(options.MaxConcurrency, options.Retries, options.BaseBackoff, options.MaxBackoff, options.Time, IsTransient);
        Container = options.Account.CreateClient().GetBlobContainerClient(options.Location.Container);
    }

    public BlobContainerClient Container { get; }

    public int RetryCount => _requests.RetryCount;

    public async Task<T> SendAsync<T>(string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _requests.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
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

    public void Dispose() => _requests.Dispose();

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

    /// <summary>The error to report for a failed request or read of <paramref name="key"/>, or null to let it pass.</summary>
    internal StackvaultException? Map(Exception e, string key)
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
