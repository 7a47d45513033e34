using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>
/// Sweeping of <see cref="S3Storage"/>: a writer killed during a multipart upload leaves an incomplete upload that
/// is never an object but is billed. Prune lists the uploads under the repository's prefix and aborts those
/// initiated before its cut-off. A server that cannot list uploads (501 NotImplemented) is noted, not an error:
/// a bucket lifecycle rule (AbortIncompleteMultipartUpload) then does the job.
/// </summary>
public sealed partial class S3Storage
{
    public async ValueTask<SweepResult> SweepAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var bucket = _options.Location.Bucket;
        var prefix = _options.Location.Prefix.Length == 0 ? string.Empty : _options.Location.Prefix + "/";
        var removed = 0;
        string? keyMarker = null;
        string? uploadMarker = null;
        while (true)
        {
            var request = new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix, KeyMarker = keyMarker, UploadIdMarker = uploadMarker };
            ListMultipartUploadsResponse page;
            try
            {
                page = await _transport.SendAsync(prefix, ct => _transport.Client.ListMultipartUploadsAsync(request, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (StackvaultException e) when (e.InnerException is AmazonS3Exception { StatusCode: System.Net.HttpStatusCode.NotImplemented })
            {
                return SweepResult.Unsupported($"the S3 server does not list multipart uploads; use a bucket lifecycle rule to abort incomplete ones ({removed} aborted)");
            }

            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (upload.Initiated is { } initiated && new DateTimeOffset(initiated.ToUniversalTime(), TimeSpan.Zero) >= olderThan)
                {
                    continue;
                }

                var abort = new AbortMultipartUploadRequest { BucketName = bucket, Key = upload.Key, UploadId = upload.UploadId };
                try
                {
                    await _transport.SendAsync(upload.Key, ct => _transport.Client.AbortMultipartUploadAsync(abort, ct), cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    // NoSuchUpload: completed or aborted meanwhile
                }

                removed++;
            }

            if (page.IsTruncated != true)
            {
                return new SweepResult(removed, 0, null);
            }

            keyMarker = page.NextKeyMarker;
            uploadMarker = page.NextUploadIdMarker;
        }
    }
}
