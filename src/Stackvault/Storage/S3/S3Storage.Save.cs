using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>
/// The write path of <see cref="S3Storage"/>. Never overwriting takes three layers: a per-key lock inside this
/// process, a HEAD check, and <c>If-None-Match: *</c> on the PUT (or on CompleteMultipartUpload), which AWS S3 and
/// recent MinIO honour. On a server that ignores the header, two processes writing one key in the same instant can
/// both pass the HEAD check and the last one wins (docs/design.md section 3).
/// </summary>
public sealed partial class S3Storage
{
    private readonly SemaphoreSlim[] _keyLocks = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(handle);
        var keyLock = _keyLocks[(uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_keyLocks.Length];
        await keyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await StatAsync(handle, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw new ObjectExistsException(handle);
            }

            if (data.Length > _options.MultipartThreshold)
            {
                await MultipartUploadAsync(handle, key, data, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var md5 = Md5Of(data.Span);
                var attempts = 0;
                await SendAsync(key, ct => Exists(handle, key, _client.PutObjectAsync(NewPut(key, data, md5), ct), ++attempts > 1 ? Convert.ToHexStringLower(md5) : null, ct), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            keyLock.Release();
        }
    }

    private PutObjectRequest NewPut(string key, ReadOnlyMemory<byte> data, byte[] md5)
    {
        var request = new PutObjectRequest
        {
            BucketName = _options.Location.Bucket,
            Key = key,
            InputStream = StreamOf(data),
            AutoCloseStream = true,
            UseChunkEncoding = false,
            MD5Digest = Convert.ToBase64String(md5),
            ContentType = "application/octet-stream",
        };
        if (_options.ConditionalWrites)
        {
            request.IfNoneMatch = "*";
        }

        if (_options.StorageClass is { } storageClass)
        {
            request.StorageClass = S3StorageClass.FindValue(storageClass);
        }

        return request;
    }

    /// <summary>
    /// A 412 on a conditional write means the key exists: another writer got there first, or, on a retry
    /// (<paramref name="retryETag"/> set), our own earlier attempt landed and only its answer was lost. The object's
    /// ETag (the MD5 of what we sent) tells the two apart.
    /// </summary>
    private async Task<T?> Exists<T>(ObjectHandle handle, string key, Task<T> request, string? retryETag, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed || (retryETag is not null && e.ErrorCode == "NoSuchUpload"))
        {
            // NoSuchUpload: a retried CompleteMultipartUpload whose first attempt completed the upload.
            if (retryETag is not null && string.Equals(await ETagOfAsync(key, cancellationToken).ConfigureAwait(false), retryETag, StringComparison.OrdinalIgnoreCase))
            {
                return null; // our own write
            }

            throw e.StatusCode == HttpStatusCode.PreconditionFailed
                ? new ObjectExistsException(handle)
                : new StackvaultException($"multipart upload of s3://{_options.Location.Bucket}/{key} vanished before it completed", ExitCode.Failure, e);
        }
    }

    private async Task<string?> ETagOfAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Location.Bucket, Key = key }, cancellationToken).ConfigureAwait(false);
            return head.ETag?.Trim('"');
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A read-only stream over the caller's memory: no copy of the object (except for non-array memory).</summary>
    private static MemoryStream StreamOf(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

#pragma warning disable CA5351 // Content-MD5 is S3's transport integrity check, not a security primitive
    private static byte[] Md5Of(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351
}
