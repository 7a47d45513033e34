using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Storage.Transport;
using Stackvault.Errors;

namespace Stackvault.Storage.S3.Transport;

/// <summary>
/// The one S3 transport: every request of the repository backend (<see cref="S3Storage"/>) and of the bucket store
/// (<c>Buckets/S3BucketStore</c>) goes through <see cref="SendAsync{T}"/>: bounded concurrency, a Polly retry
/// pipeline for transient failures (exponential backoff with jitter, timed by the options' TimeProvider; the SDK's own
/// retries are off, so the attempts are exactly 1 + <see cref="S3StorageOptions.Retries"/>) and one mapping of S3
/// errors to user messages (S3Transport.Errors.cs). A 404 is rethrown unchanged (the caller decides what absent means)
/// and never retried; a 403 is never retried. Writes and multipart uploads are in S3Transport.Writes.cs.
/// </summary>
public sealed partial class S3Transport : IDisposable
{
    private readonly S3StorageOptions _options;
    private readonly GatedRetry _requests;

    public S3Transport(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _requests = new GatedRetry(options.MaxConcurrency, options.Retries, options.BaseBackoff, options.MaxBackoff, options.Time, IsTransient);
        Client = S3ClientFactory.Create(options);
    }

    /// <summary>The SDK client (its own retries disabled).</summary>
    public IAmazonS3 Client { get; }

    public S3StorageOptions Options => _options;

    public string Bucket => _options.Location.Bucket;

    /// <summary>How many retries happened (for tests and diagnostics).</summary>
    public int RetryCount => _requests.RetryCount;

    /// <summary>The endpoint as users know it, for messages.</summary>
    public string EndpointText => _options.Location.Endpoint?.ToString().TrimEnd('/') ?? $"https://s3.{_options.Region}.amazonaws.com";

    /// <summary>Sends one request with bounded concurrency, retries of transient failures and error mapping.</summary>
    public async Task<T> SendAsync<T>(string key, Func<CancellationToken, Task<T>> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await _requests.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (IsNotFound(e))
        {
            throw;
        }
        catch (Exception e) when (Map(e, key) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The object's size and ETag (unquoted), or null when absent.</summary>
    public async Task<(long Size, string? ETag)?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await SendAsync(key, ct => Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
            return (head.ContentLength, Unquote(head.ETag));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Deletes a key; an absent key is not an error.</summary>
    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(key, ct => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // absent is fine
        }
    }

    /// <summary>Every object under <paramref name="prefix"/>, one flat ListObjectsV2 listing (no delimiter), page by page.</summary>
    public async IAsyncEnumerable<S3Object> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = continuation };
            var page = await SendAsync(prefix, ct => Client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// A GET of the whole object or, from <paramref name="offset"/> with <paramref name="length"/> (or to the end when
    /// null), a range; with <paramref name="ifMatch"/>, only while the object's ETag is that one (else the mapped
    /// StackvaultException, its inner AmazonS3Exception a 412). Absent: AmazonS3Exception 404 passes through; a range
    /// past the end answers null (416). With <paramref name="checksums"/> it asks for the checksums stored with the
    /// object (<c>x-amz-checksum-mode: ENABLED</c>; S3 answers them for a GET of the whole object only).
    /// </summary>
    public async Task<GetObjectResponse?> GetAsync(string key, long offset, long? length, string? ifMatch, bool checksums, CancellationToken cancellationToken)
    {
        try
        {
            var range = offset == 0 && length is null ? null : new ByteRange(offset, length is { } n ? offset + n - 1 : long.MaxValue - 1);
            return await SendAsync(key, ct => Client.GetObjectAsync(new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = range, EtagToMatch = ifMatch, ChecksumMode = checksums ? ChecksumMode.ENABLED : null }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return null;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        _requests.Dispose();
    }

    public static string? Unquote(string? etag) => etag?.Trim('"');

    internal static bool IsNotFound(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket";
}
