using Stackvault.Buffers;
using Stackvault.Storage.S3;
using Stackvault.Storage.S3.Transport;

namespace Stackvault.Buckets;

/// <summary>
/// The objects under a prefix of an S3 bucket, through the repository backend's transport (<see cref="S3Transport"/>:
/// the same URL forms, credentials, retries, error mapping and multipart uploads; see <see cref="BucketStores"/>).
/// A read cut off mid-way resumes with a range request (<see cref="S3ResumingReadStream"/>).
/// </summary>
public sealed partial class S3BucketStore : IBucketStore
{
    private readonly S3StorageOptions _options;
    private readonly S3Transport _transport;

    public S3BucketStore(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = new S3Transport(options);
        Writes = new ByteBudget(2 * ByteBudget.PooledCost(options.PartSize));
    }

    /// <summary>
    /// The upload buffers in flight (<see cref="PutAsync"/>): two parts' worth, whatever the restore's --concurrency,
    /// so memory does not grow with it; small objects cost their own size.
    /// </summary>
    public ByteBudget Writes { get; }

    public string Location => _options.Location.ToString();

    /// <summary>Retries so far (tests and diagnostics).</summary>
    public int RetryCount => _transport.RetryCount;

    private string Prefix => _options.Location.Prefix.Length == 0 ? string.Empty : _options.Location.Prefix + "/";

    public async IAsyncEnumerable<BucketObject> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = Prefix;
        await foreach (var item in _transport.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var key = item.Key[prefix.Length..];
            if (key.Length == 0 || key.EndsWith('/'))
            {
                continue; // a "directory marker"
            }

            yield return new BucketObject(key, item.Size ?? 0, item.LastModified is { } m ? new DateTimeOffset(m.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UnixEpoch, S3Transport.Unquote(item.ETag));
        }
    }

    public async ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var stream = new S3ResumingReadStream(_transport, _options.Location.KeyOf(key), _options.IdleTimeout);
        await stream.OpenAsync(0, cancellationToken).ConfigureAwait(false);
        return stream;
    }

    /// <summary>
    /// Streams <paramref name="open"/>'s content up without staging it on disk: up to the part size one PUT from one
    /// buffer (its MD5 sent as Content-MD5, so the server checks what arrived), above it a multipart upload whose parts
    /// are read one after the other into one buffer (each part's MD5 sent; a failed part is resent alone from that
    /// buffer; any failure aborts the upload). Memory per upload: at most one part, taken from <see cref="Writes"/>
    /// before the content is opened.
    /// </summary>
    public async ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        var fullKey = _options.Location.KeyOf(key);
        var bufferLength = (int)Math.Clamp(length, 1, _options.PartSize);
        using var lease = await Writes.TakeAsync(ByteBudget.PooledCost(bufferLength), cancellationToken).ConfigureAwait(false);
        var buffer = Buffers.BufferPool.Rent(bufferLength);
        try
        {
            var content = await open(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                S3Transport.WriteResult result;
                if (length > _options.PartSize)
                {
                    result = await _transport.MultipartAsync(fullKey, length, parallelism: 1, async (_, size, ct) =>
                    {
                        await content.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                        return buffer.AsMemory(0, size);
                    }, conditional: false, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var size = (int)length;
                    await content.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                    var md5 = S3Transport.Md5Of(buffer.AsSpan(0, size));
                    result = await _transport.PutAsync(fullKey, () => new MemoryStream(buffer, 0, size, writable: false), length, md5, conditional: false, cancellationToken).ConfigureAwait(false);
                }

                return result.ETag;
            }
        }
        finally
        {
            Buffers.BufferPool.Return(buffer);
        }
    }

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }
}
