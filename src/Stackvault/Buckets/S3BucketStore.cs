using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;
using Stackvault.Storage.S3;

namespace Stackvault.Buckets;

/// <summary>
/// The objects under a prefix of an S3 bucket, through the repository backend's client construction (same URL forms,
/// credentials and environment: see <see cref="BucketStores"/>). Every request retries transient failures
/// (S3BucketStore.Retry.cs); a read cut off mid-way resumes with a range request.
/// </summary>
public sealed partial class S3BucketStore : IBucketStore
{
    private readonly S3StorageOptions _options;
    private readonly IAmazonS3 _client;
    private readonly SemaphoreSlim _gate;

    public S3BucketStore(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = S3ClientFactory.Create(options);
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
    }

    public string Location => _options.Location.ToString();

    private string Bucket => _options.Location.Bucket;

    /// <summary>Our own retries so far (tests and diagnostics).</summary>
    public int RetryCount => Volatile.Read(ref _retries);

    public async IAsyncEnumerable<BucketObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = _options.Location.Prefix.Length == 0 ? string.Empty : _options.Location.Prefix + "/";
        string? continuation = null;
        do
        {
            // No delimiter: one flat listing (some servers omit prefixes that hold only nested keys).
            var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix, ContinuationToken = continuation };
            var page = await SendAsync(prefix, ct => _client.ListObjectsV2Async(request, ct), cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                var key = item.Key[prefix.Length..];
                if (key.Length == 0 || key.EndsWith('/'))
                {
                    continue; // a "directory marker"
                }

                yield return new BucketObject(key, item.Size ?? 0, item.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch, Unquote(item.ETag));
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var stream = new ResumingReadStream(this, _options.Location.KeyOf(key), _options.IdleTimeout);
        await stream.OpenAsync(0, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    public async ValueTask<string?> PutAsync(string key, Stream content, long length, CancellationToken cancellationToken)
    {
        var fullKey = _options.Location.KeyOf(key);
        if (length > _options.MultipartThreshold)
        {
            return await PutMultipartAsync(fullKey, content, length, cancellationToken).ConfigureAwait(false);
        }

        content.Position = 0;
        var md5 = await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
        var response = await SendAsync(fullKey, ct =>
        {
            content.Position = 0;
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = fullKey,
                InputStream = content,
                AutoCloseStream = false,
                AutoResetStreamPosition = true,
                UseChunkEncoding = false,
                MD5Digest = Convert.ToBase64String(md5),
                ContentType = "application/octet-stream",
            };
            request.Headers.ContentLength = length;
            return _client.PutObjectAsync(request, ct);
        }, cancellationToken).ConfigureAwait(false);
        return Unquote(response.ETag) ?? Convert.ToHexStringLower(md5);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _gate.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string? Unquote(string? etag) => etag?.Trim('"');

    /// <summary>
    /// A GET from <paramref name="offset"/> to the end (a range request unless from 0; not always one: some servers
    /// answer a range of an empty object wrongly). A resume at the very end of an object answers 416: null then.
    /// </summary>
    internal async Task<GetObjectResponse?> GetAsync(string fullKey, long offset, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(fullKey, ct => _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = Bucket,
                Key = fullKey,
                ByteRange = offset > 0 ? new ByteRange(offset, long.MaxValue - 1) : null,
            }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new StackvaultException($"{Location}: object '{fullKey}' disappeared since it was listed", ExitCode.Failure, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return null;
        }
    }
}
