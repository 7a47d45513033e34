using System.Security.Cryptography;

namespace Stackvault.Buckets;

/// <summary>What S3 ETags say about content: single-part MD5s and the multipart form.</summary>
public sealed partial class S3BucketStore
{
    /// <summary>
    /// Compares ETags: a single-part ETag is the content's MD5; a multipart one ("...-N") is the MD5 of the parts' MD5s,
    /// recomputed with this store's part size (parts of another size do not match: a conflict, never a false skip).
    /// </summary>
    public async ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        ArgumentNullException.ThrowIfNull(open);
        var etag = present.Etag?.ToLowerInvariant();
        if (etag is null)
        {
            return false;
        }

        var content = await open(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return etag == await EtagOfAsync(content, etag.Contains('-', StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The ETag S3 gives <paramref name="content"/>: its MD5, or with <paramref name="multipart"/> the multipart form for this store's part size.</summary>
    internal async ValueTask<string> EtagOfAsync(Stream content, bool multipart, CancellationToken cancellationToken)
    {
        if (!multipart)
        {
            return Convert.ToHexStringLower(await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
        }

        var buffer = new byte[_options.PartSize];
        using var md5s = new MemoryStream();
        var parts = 0;
        while (true)
        {
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            md5s.Write(MD5.HashData(buffer.AsSpan(0, read)));
            parts++;
        }

        return Convert.ToHexStringLower(MD5.HashData(md5s.ToArray())) + "-" + parts.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
