using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Stackvault.Errors;

namespace Stackvault.Buckets;

/// <summary>
/// Bounded concurrency and retries with exponential backoff (full jitter) of transient failures: 5xx, SlowDown,
/// connection resets and timeouts. A 404 is passed through; 403, an absent bucket or endpoint become clear errors.
/// </summary>
public sealed partial class S3BucketStore
{
    private int _retries;

    internal async Task<T> SendAsync<T>(string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await request(cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
            {
                throw;
            }
            catch (Exception e) when (attempt < _options.Retries && IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _retries);
            }
            catch (Exception e) when (e is not (OperationCanceledException or StackvaultException))
            {
                throw Map(e, key);
            }
            finally
            {
                _gate.Release();
            }

            var cap = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, attempt));
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" } => true,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest } => false,
        _ when Refused(e) => false,
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        AmazonServiceException { InnerException: { } inner } => IsTransient(inner),
        AmazonClientException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    private static bool Refused(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable })
            {
                return true;
            }
        }

        return false;
    }

    private StackvaultException Map(Exception e, string key)
    {
        var what = $"{Location} (key '{key}')";
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return e switch
        {
            AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } s => new($"access denied to {what}: check credentials ({s.ErrorCode})", ExitCode.Failure, e),
            AmazonServiceException { ErrorCode: "NoSuchBucket" } => new($"bucket '{Bucket}' does not exist ({Location})", ExitCode.RepositoryNotFound, e),
            _ when Refused(e) => new($"cannot reach {Location}: {inner.Message}", ExitCode.RepositoryNotFound, e),
            AmazonServiceException s => new($"S3 request for {what} failed: {(int)s.StatusCode} {s.ErrorCode}: {s.Message}", ExitCode.Failure, e),
            _ => new($"S3 request for {what} failed: {inner.Message}", ExitCode.Failure, e),
        };
    }
}
