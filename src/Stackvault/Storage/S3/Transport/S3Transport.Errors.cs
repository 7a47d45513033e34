using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Stackvault.Errors;

namespace Stackvault.Storage.S3.Transport;

/// <summary>Which S3 failures are transient, and the one mapping of the others to user messages and exit codes.</summary>
public sealed partial class S3Transport
{
    /// <summary>5xx (but 501), SlowDown, RequestTimeout, connection resets and timeouts; never 403/404/400 or a refused connection.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        OperationCanceledException => false,
        AmazonServiceException { StatusCode: HttpStatusCode.NotImplemented } => false, // a missing feature does not come back
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { ErrorCode: "SlowDown" or "RequestTimeout" or "InternalError" or "ConditionalRequestConflict" } => true,
        AmazonServiceException { StatusCode: HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest } => false,
        _ when IsConnectionRefused(e) => false, // an absent server does not come back in seconds
        HttpRequestException or IOException or SocketException or TimeoutException => true,
        AmazonServiceException { InnerException: { } inner } => IsTransient(inner),
        AmazonClientException { InnerException: { } inner } => IsTransient(inner),
        _ => false,
    };

    internal static bool IsConnectionRefused(Exception? e)
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

    /// <summary>The user-facing error for a failed request, or null to let the exception through (cancellation, our own errors).</summary>
    internal StackvaultException? Map(Exception e, string key)
    {
        if (e is OperationCanceledException or StackvaultException)
        {
            return null;
        }

        var what = $"s3://{Bucket}/{key}";
        return e switch
        {
            AmazonServiceException { StatusCode: HttpStatusCode.Forbidden } s =>
                new StackvaultException($"access denied to {what}: check credentials ({s.ErrorCode})", e),
            AmazonServiceException { ErrorCode: "NoSuchBucket" } =>
                new LocationNotFoundException($"bucket '{Bucket}' does not exist at S3 endpoint {EndpointText}", e),
            _ when IsConnectionRefused(e) =>
                new LocationNotFoundException($"cannot reach S3 endpoint {EndpointText}: {Innermost(e).Message}", e),
            AmazonServiceException s =>
                new StackvaultException($"S3 request for {what} failed: {(int)s.StatusCode} {s.ErrorCode}: {s.Message}", e),
            HttpRequestException or IOException or SocketException or TimeoutException or AmazonClientException =>
                new StackvaultException($"S3 request for {what} to {EndpointText} failed: {Innermost(e).Message}", e),
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
