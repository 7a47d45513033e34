using System.Globalization;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Stackvault.Buckets;

/// <summary>
/// Objects above the multipart threshold go up in parts (S3's 5 GiB single-PUT limit; a failed part is resent alone).
/// Parts are read one after the other from the staged content; any failure aborts the upload, so the object is
/// either absent or complete. The returned ETag is S3's multipart form (MD5 of the parts' MD5s, "-", part count).
/// </summary>
public sealed partial class S3BucketStore
{
    private async ValueTask<string?> PutMultipartAsync(string fullKey, Stream content, long length, CancellationToken cancellationToken)
    {
        var uploadId = (await SendAsync(fullKey, ct => _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = fullKey, ContentType = "application/octet-stream" }, ct), cancellationToken).ConfigureAwait(false)).UploadId;
        try
        {
            var partSize = (int)_options.PartSize;
            var count = (int)((length + partSize - 1) / partSize);
            var etags = new List<PartETag>(count);
            var md5s = new byte[count * 16];
            var buffer = new byte[partSize];
            content.Position = 0;
            for (var index = 0; index < count; index++)
            {
                var size = (int)Math.Min(partSize, length - ((long)index * partSize));
                await content.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                var md5 = MD5.HashData(buffer.AsSpan(0, size));
                md5.CopyTo(md5s, index * 16);
                var number = index + 1;
                var response = await SendAsync(fullKey, ct => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = Bucket,
                    Key = fullKey,
                    UploadId = uploadId,
                    PartNumber = number,
                    PartSize = size,
                    InputStream = new MemoryStream(buffer, 0, size, writable: false),
                    UseChunkEncoding = false,
                    MD5Digest = Convert.ToBase64String(md5),
                    IsLastPart = number == count,
                }, ct), cancellationToken).ConfigureAwait(false);
                etags.Add(new PartETag(number, response.ETag));
            }

            var expected = Convert.ToHexStringLower(MD5.HashData(md5s)) + "-" + count.ToString(CultureInfo.InvariantCulture);
            var complete = new CompleteMultipartUploadRequest { BucketName = Bucket, Key = fullKey, UploadId = uploadId, PartETags = etags };
            try
            {
                var done = await SendAsync(fullKey, ct => _client.CompleteMultipartUploadAsync(complete, ct), cancellationToken).ConfigureAwait(false);
                return Unquote(done.ETag) ?? expected;
            }
            catch (Errors.StackvaultException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "NoSuchUpload" })
            {
                // a retried Complete whose first attempt went through: the object is there with the expected ETag
                var head = await SendAsync(fullKey, ct => _client.GetObjectMetadataAsync(Bucket, fullKey, ct), cancellationToken).ConfigureAwait(false);
                if (!string.Equals(Unquote(head.ETag), expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw;
                }

                return expected;
            }
        }
        catch
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Bucket, Key = fullKey, UploadId = uploadId }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception abort) when (abort is AmazonServiceException or HttpRequestException or IOException or OperationCanceledException)
            {
                // the bucket's lifecycle rules clean up what could not be aborted
            }

            throw;
        }
    }
}
