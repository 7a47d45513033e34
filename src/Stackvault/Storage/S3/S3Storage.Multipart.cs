using Amazon.S3;
using Amazon.S3.Model;

namespace Stackvault.Storage.S3;

/// <summary>
/// Multipart uploads of <see cref="S3Storage"/>: parts are slices of the caller's memory (no copy), a few in flight
/// at once; any failure or cancellation aborts the upload, so no part of it ever becomes a visible object.
/// </summary>
public sealed partial class S3Storage
{
    private const int MaxPartsInFlight = 4;

    private async Task MultipartUploadAsync(ObjectHandle handle, string key, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var bucket = _options.Location.Bucket;
        var initiate = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key, ContentType = "application/octet-stream" };
        if (_options.StorageClass is { } storageClass)
        {
            initiate.StorageClass = S3StorageClass.FindValue(storageClass);
        }

        var uploadId = (await SendAsync(key, ct => _client.InitiateMultipartUploadAsync(initiate, ct), cancellationToken).ConfigureAwait(false)).UploadId;
        try
        {
            var partSize = (int)_options.PartSize;
            var count = (int)((data.Length + (long)partSize - 1) / partSize);
            var etags = new PartETag[count];
            var md5s = new byte[count * 16];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(MaxPartsInFlight, _options.MaxConcurrency), CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(0, count), parallel, async (index, ct) =>
            {
                var slice = data.Slice(index * partSize, Math.Min(partSize, data.Length - (index * partSize)));
                var md5 = Md5Of(slice.Span);
                md5.CopyTo(md5s, index * 16);
                var response = await SendAsync(key, c => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
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
            var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId, PartETags = [.. etags] };
            if (_options.ConditionalWrites)
            {
                complete.IfNoneMatch = "*";
            }

            // A multipart ETag is the MD5 of the parts' MD5s, then "-" and the part count.
            var retryETag = Convert.ToHexStringLower(Md5Of(md5s)) + "-" + count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var attempts = 0;
            await SendAsync(key, ct => Exists(handle, key, _client.CompleteMultipartUploadAsync(complete, ct), ++attempts > 1 ? retryETag : null, ct), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await AbortQuietlyAsync(key, uploadId).ConfigureAwait(false);
            throw;
        }
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _options.Location.Bucket, Key = key, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or OperationCanceledException)
        {
            // the bucket's lifecycle rule for incomplete uploads (or a later abort) cleans it up; it is never an object
        }
    }
}
