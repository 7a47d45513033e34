using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>
/// Every request of <see cref="S3Storage"/> goes through <see cref="SendAsync{T}"/>: bounded concurrency, our own
/// retries of transient failures (exponential backoff, full jitter) and one mapping of S3 errors to user messages.
/// A 404 is rethrown unchanged (the caller decides what absent means) and never retried; a 403 is never retried.
/// </summary>
public sealed partial class S3Storage
{
    /// <summary>How many of our own retries happened (for tests and diagnostics).</summary>
    internal int RetryCount => Volatile.Read(ref _retryCount);

    private async Task<T> SendAsync<T>(string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await request(cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (IsNotFound(e))
            {
                throw;
            }
            catch (Exception e) when (attempt < _options.Retries && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retryCount);
            }
            catch (Exception e) when (Map(e, key) is { } mapped)
            {
                throw mapped;
            }
            finally
            {
                _gate.Release();
            }

            await Task.Delay(Backoff(attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsNotFound(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";

    private TimeSpan Backoff(int attempt)
    {
        var cap = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    private static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false, // a missing feature does not come back
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" or "ConditionalRequestConflict" } => true,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest } => false,
        _ when IsConnectionRefused(e) => false, // the SDK retried already; an absent server does not come back in seconds
        HttpRequestException or IOException or SocketException => true,
        AmazonServiceException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    private static bool IsConnectionRefused(Exception? e)
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

    /// <summary>The user-facing error for a failed request, or null to let the exception through (cancellation).</summary>
    private StackvaultException? Map(Exception e, string key)
    {
        if (e is OperationCanceledException or StackvaultException)
        {
            return null;
        }

        var what = $"s3://{_options.Location.Bucket}/{key}";
        return e switch
        {
            AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } s =>
                new StackvaultException($"access denied to {what}: check credentials ({s.ErrorCode})", ExitCode.Failure, e),
            AmazonServiceException { ErrorCode: "NoSuchBucket" } =>
                new StackvaultException($"bucket '{_options.Location.Bucket}' does not exist at S3 endpoint {EndpointText}", ExitCode.RepositoryNotFound, e),
            _ when IsConnectionRefused(e) =>
                new StackvaultException($"cannot reach S3 endpoint {EndpointText}: {Innermost(e).Message}", ExitCode.RepositoryNotFound, e),
            AmazonServiceException s =>
                new StackvaultException($"S3 request for {what} failed: {(int)s.StatusCode} {s.ErrorCode}: {s.Message}", ExitCode.Failure, e),
            HttpRequestException or IOException or SocketException or AmazonClientException =>
                new StackvaultException($"S3 request for {what} to {EndpointText} failed: {Innermost(e).Message}", ExitCode.Failure, e),
            _ => null,
        };
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
