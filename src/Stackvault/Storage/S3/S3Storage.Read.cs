using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;

namespace Stackvault.Storage.S3;

/// <summary>Reads of <see cref="S3Storage"/>: a GET for whole objects, a ranged GET for ReadAt.</summary>
public sealed partial class S3Storage
{
    public async ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        return await Absent(handle, _transport.SendAsync(key, async ct =>
        {
            using var response = await _transport.Client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Location.Bucket, Key = key }, ct).ConfigureAwait(false);
            var length = response.ContentLength;
            if (length > Array.MaxLength)
            {
                throw new CorruptObjectException(handle, $"object has {length} bytes, too many to read at once");
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)length);
            // Past the SDK's ETag check (a managed MD5, slow for packs): the repository authenticates every object.
            var body = response.ResponseStream is Amazon.Runtime.Internal.Util.WrapperStream wrapped ? wrapped.GetNonWrapperBaseStream() ?? wrapped : response.ResponseStream;
            var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (read != length)
            {
                throw new IOException($"connection closed after {read} of {length} bytes of {key}"); // transient: retried
            }

            return buffer;
        }, cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(handle);
        if (buffer.Length == 0)
        {
            var size = await StatAsync(handle, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
            ThrowIfShort(handle, offset, buffer.Length, size, offset <= size);
            return;
        }

        var range = new ByteRange(offset, offset + buffer.Length - 1);
        var (read, total) = await Absent(handle, _transport.SendAsync(key, async ct =>
        {
            try
            {
                using var response = await _transport.Client.GetObjectAsync(new GetObjectRequest { BucketName = _options.Location.Bucket, Key = key, ByteRange = range }, ct).ConfigureAwait(false);
                var n = await response.ResponseStream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
                return (n, TotalOf(response.ContentRange) ?? (long?)response.ContentLength);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return (0, (long?)null);
            }
        }, cancellationToken)).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            var size = total ?? await StatAsync(handle, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
            ThrowIfShort(handle, offset, buffer.Length, size, ok: false);
        }
    }

    private static void ThrowIfShort(ObjectHandle handle, long offset, int length, long size, bool ok)
    {
        if (!ok)
        {
            throw new CorruptObjectException(handle, $"truncated: wanted {length} bytes at offset {offset}, object has {size} bytes");
        }
    }

    /// <summary>The total size from a <c>Content-Range: bytes a-b/total</c> header.</summary>
    private static long? TotalOf(string? contentRange)
    {
        var slash = contentRange?.LastIndexOf('/') ?? -1;
        return slash >= 0 && long.TryParse(contentRange![(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var total) ? total : null;
    }
}
