using System.Security.Cryptography;
using global::Azure.Storage;
using global::Azure.Storage.Blobs.Models;
using Stackvault.Storage.AzureBlob;

namespace Stackvault.Buckets;

/// <summary>
/// The blobs under a prefix of an Azure Blob container (<c>azure://CONTAINER[/PREFIX]</c>, account from the
/// environment as for the repository backend), through the same <see cref="AzureTransport"/> (retries, error
/// mapping). A blob's "ETag" here is its Content-MD5 in hex when it has one (Azure's own ETag says nothing about the
/// content), so unchanged objects are recognised as on S3; every blob this store writes carries its Content-MD5.
/// </summary>
public sealed class AzureBucketStore : IBucketStore
{
    private readonly AzureStorageOptions _options;
    private readonly AzureTransport _transport;

    public AzureBucketStore(AzureStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _transport = new AzureTransport(options);
        _options = options;
    }

    public string Location => _options.Location.ToString();

    public int RetryCount => _transport.RetryCount;

    private string Prefix => _options.Location.Prefix.Length == 0 ? string.Empty : _options.Location.Prefix + "/";

    public async IAsyncEnumerable<BucketObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = Prefix;
        await foreach (var item in AzureListing.ListAsync(_transport, prefix, cancellationToken).ConfigureAwait(false))
        {
            var key = item.Name[prefix.Length..];
            if (key.Length == 0 || key.EndsWith('/'))
            {
                continue;
            }

            var md5 = item.Properties.ContentHash;
            yield return new BucketObject(key, item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.UnixEpoch, md5 is { Length: 16 } ? Convert.ToHexStringLower(md5) : null);
        }
    }

    public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var name = _options.Location.KeyOf(key);
        var blob = _transport.Container.GetBlobClient(name);
        try
        {
            var download = await _transport.SendAsync(name, async ct => (await blob.DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
            var md5 = download.Details.ContentHash is { Length: 16 } whole ? whole : download.Details.BlobContentHash is { Length: 16 } stored ? stored : null;
            var content = new BlobReadStream(download.Content, name, _transport);
            return md5 is null ? content : new Crypto.Md5.Md5CheckedStream(content, md5, (actual, read) =>
                $"'{name}': the {read} bytes read do not match the blob's Content-MD5 ({Convert.ToHexStringLower(actual)}, stored {Convert.ToHexStringLower(md5)}): damaged in transfer, changed while read, or given a wrong Content-MD5 by the client that uploaded it in blocks");
        }
        catch (global::Azure.RequestFailedException e) when (AzureTransport.IsNotFound(e))
        {
            throw new Errors.StackvaultException($"{Location}: blob '{name}' disappeared since it was listed", e);
        }
    }

    public async ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        ArgumentNullException.ThrowIfNull(open);
        if (present.Etag is null)
        {
            return false;
        }

        var content = await open(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            return present.Etag == Convert.ToHexStringLower(await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Reads the content twice from <paramref name="open"/>: once for its Content-MD5, then to upload it (staged
    /// blocks above the single-upload limit, committed at once; a retry opens it again); replaces what is there.
    /// </summary>
    public async ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        var name = _options.Location.KeyOf(key);
        byte[] md5;
        var first = await open(cancellationToken).ConfigureAwait(false);
        await using (first.ConfigureAwait(false))
        {
            md5 = await MD5.HashDataAsync(first, cancellationToken).ConfigureAwait(false);
        }

        var blob = _transport.Container.GetBlobClient(name);
        await _transport.SendAsync(name, async ct =>
        {
            var content = await open(ct).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                return await blob.UploadAsync(content, new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentHash = md5, ContentType = "application/octet-stream" },
                    TransferOptions = new StorageTransferOptions { InitialTransferSize = _options.SingleUploadLimit, MaximumTransferSize = _options.BlockSize, MaximumConcurrency = 1 },
                }, ct).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(md5);
    }

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A blob's content as the SDK streams it. The SDK resumes a broken download itself, with a range request that
    /// names the ETag of the first answer (If-Match), so a blob replaced meanwhile is refused (412) rather than joined
    /// to the one begun; that, and any other failure of the body, is reported as this blob's read error (the object is
    /// left out and the snapshot is partial), not as an internal error that ends the whole backup. A blob that has a
    /// Content-MD5 (Azure stores one for every blob uploaded in one Put Blob; Stackvault sets it on every blob it
    /// writes) is read through a <see cref="Crypto.Md5.Md5CheckedStream"/> that checks it at the end, as an S3 object's
    /// ETag is: a mismatch is this blob's read error.
    /// </summary>
    private sealed class BlobReadStream(Stream inner, string name, AzureTransport transport) : Export.ReadOnlyStream
    {
        private long _read;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n;
            try
            {
                n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (global::Azure.RequestFailedException e) when (e.Status == 412)
            {
                throw new Errors.StackvaultException($"'{name}': the blob changed while it was read (a broken read, resumed at byte {_read} for the ETag first read, was refused: {e.ErrorCode}): left out, it is read again by the next backup", e);
            }
            catch (Exception e) when (transport.Map(e, name) is { } mapped)
            {
                throw mapped;
            }

            _read += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
