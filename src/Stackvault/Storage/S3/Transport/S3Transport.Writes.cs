using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Storage.S3.Transport;

/// <summary>
/// Writes: a single PUT with Content-MD5, or a multipart upload that is aborted on any failure or cancellation (so
/// a key is either absent or complete). With <c>conditional</c>, <c>If-None-Match: *</c> goes on the PUT (or the
/// CompleteMultipartUpload), and a 412 or a vanished upload on a retry is told apart from a foreign object by the
/// ETag: our own earlier attempt landed and only its answer was lost ("ETag recovery").
/// </summary>
public sealed partial class S3Transport
{
    /// <summary>What a write found: the object is ours (with its ETag), or the key already held another object.</summary>
    public readonly record struct WriteResult(bool Existed, string? ETag);

    /// <summary>One PUT of <paramref name="length"/> bytes; <paramref name="open"/> gives the body for each attempt.</summary>
    public async Task<WriteResult> PutAsync(string key, Func<Stream> open, long length, byte[] md5, bool conditional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(md5);
        var ours = Convert.ToHexStringLower(md5);
        var attempts = 0;
        return await SendAsync(key, async ct =>
        {
            var request = new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                InputStream = open(),
                AutoCloseStream = true,
                UseChunkEncoding = false,
                MD5Digest = Convert.ToBase64String(md5),
                ContentType = "application/octet-stream",
            };
            request.Headers.ContentLength = length;
            if (conditional)
            {
                request.IfNoneMatch = "*";
            }

            if (_options.StorageClass is { } storageClass)
            {
                request.StorageClass = S3StorageClass.FindValue(storageClass);
            }

            var retried = ++attempts > 1;
            return await RecoverAsync(key, async () => Unquote((await Client.PutObjectAsync(request, ct).ConfigureAwait(false)).ETag) ?? ours, retried ? ours : null, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A multipart upload of <paramref name="length"/> bytes in parts of the options' part size; <paramref name="readPart"/>
    /// gives part <c>i</c> (offset <c>i * partSize</c>, the given size). With <paramref name="parallelism"/> above 1,
    /// parts are read and sent concurrently, so readPart must then be safe to call concurrently.
    /// </summary>
    public async Task<WriteResult> MultipartAsync(
        string key, long length, int parallelism, Func<int, int, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> readPart, bool conditional, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readPart);
        var initiate = new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/octet-stream" };
        if (_options.StorageClass is { } storageClass)
        {
            initiate.StorageClass = S3StorageClass.FindValue(storageClass);
        }

        var uploadId = (await SendAsync(key, ct => Client.InitiateMultipartUploadAsync(initiate, ct), cancellationToken).ConfigureAwait(false)).UploadId;
        try
        {
            var partSize = (int)_options.PartSize;
            var count = (int)((length + partSize - 1) / partSize);
            var etags = new PartETag[count];
            var md5s = new byte[count * 16];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(parallelism, 1, _options.MaxConcurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, ct) =>
            {
                var size = (int)Math.Min(partSize, length - ((long)index * partSize));
                var slice = await readPart(index, size, ct).ConfigureAwait(false);
                var md5 = Md5Of(slice.Span);
                md5.CopyTo(md5s, index * 16);
                var response = await SendAsync(key, c => Client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = index + 1,
                    PartSize = slice.Length,
                    InputStream = StreamOf(slice),
                    UseChunkEncoding = false,
                    MD5Digest = Convert.ToBase64String(md5),
                    IsLastPart = index == count - 1,
                }, c), ct).ConfigureAwait(false);
                etags[index] = new PartETag(index + 1, response.ETag);
            }).ConfigureAwait(false);

            cancellationToken.ThrowIfCancellationRequested(); // last point where giving up leaves nothing behind
            var complete = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId, PartETags = [.. etags] };
            if (conditional)
            {
                complete.IfNoneMatch = "*";
            }

            // A multipart ETag is the MD5 of the parts' MD5s, then "-" and the part count.
            var expected = Convert.ToHexStringLower(Md5Of(md5s)) + "-" + count.ToString(CultureInfo.InvariantCulture);
            var attempts = 0;
            return await SendAsync(key, ct =>
            {
                var retried = ++attempts > 1;
                return RecoverAsync(key, async () => Unquote((await Client.CompleteMultipartUploadAsync(complete, ct).ConfigureAwait(false)).ETag) ?? expected, retried ? expected : null, ct);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(key, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Aborts an upload without retries; whatever is left is never an object and a bucket lifecycle rule or prune's sweep removes it.</summary>
    public async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
        {
            // never an object; the bucket's lifecycle rule or prune's sweep cleans it up
        }
    }

    /// <summary>
    /// A 412 means the key exists: another writer got there first, or, on a retry (<paramref name="retryETag"/> set),
    /// our own earlier attempt landed and only its answer was lost; a NoSuchUpload on a retried Complete likewise.
    /// The object's ETag (what we sent) tells the two apart.
    /// </summary>
    private async Task<WriteResult> RecoverAsync(string key, Func<Task<string>> write, string? retryETag, CancellationToken cancellationToken)
    {
        try
        {
            return new WriteResult(false, await write().ConfigureAwait(false));
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed || (retryETag is not null && e.ErrorCode == "NoSuchUpload"))
        {
            if (retryETag is not null)
            {
                string? present;
                try
                {
                    present = Unquote((await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, cancellationToken).ConfigureAwait(false)).ETag);
                }
                catch (AmazonS3Exception absent) when (absent.StatusCode == HttpStatusCode.NotFound)
                {
                    present = null;
                }

                if (string.Equals(present, retryETag, StringComparison.OrdinalIgnoreCase))
                {
                    return new WriteResult(false, retryETag); // our own write
                }
            }

            return e.StatusCode == HttpStatusCode.PreconditionFailed
                ? new WriteResult(true, null)
                : throw new StackvaultException($"multipart upload of s3://{Bucket}/{key} vanished before it completed", e);
        }
    }

    /// <summary>A read-only stream over the caller's memory: no copy (except for non-array memory).</summary>
    public static MemoryStream StreamOf(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

#pragma warning disable CA5351 // Content-MD5 and ETags are S3's transport integrity check, not a security primitive
    public static byte[] Md5Of(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351
}
