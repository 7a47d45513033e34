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
    private volatile bool _sourceEtagsRefused;
    private volatile bool _streamedRefused;

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
    /// so memory does not grow with it; small objects cost their own size. A single PUT gives its bytes back once its
    /// body is sent, so more PUTs than buffers may be waiting for the server's answer.
    /// </summary>
    public ByteBudget Writes { get; }

    /// <summary>
    /// The largest object sent as one streamed PUT (when its source ETag is its MD5): the size of Mimir's and Thanos'
    /// largest chunk segment. A larger object goes up in parts, so a failure resends one part, not gigabytes.
    /// </summary>
    public const long StreamedPutLimit = 512L * 1024 * 1024;

    /// <summary>What a streamed PUT takes of <see cref="Writes"/>: the one decoded blob it holds at a time, up to the default maximum chunk (8 MiB).</summary>
    private const long StreamedPutCost = 8L * 1024 * 1024;

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
        return stream.CheckedInLanes();
    }

    /// <summary>
    /// Streams <paramref name="open"/>'s content up without staging it on disk: up to the part size one PUT from one
    /// buffer (its MD5 sent as Content-MD5, so the server checks what arrived). Above it, when the source's ETag is its
    /// MD5 (a single-part upload's), one PUT streamed from the content under that MD5 up to
    /// <see cref="StreamedPutLimit"/>: nothing hashed or held here, one object written by the server instead of parts
    /// it must join, and the object gets its source's ETag back (a multipart upload would give it a "-N" one, so a
    /// backup of the restored bucket would take every large object for changed). Otherwise, or once a server refused
    /// such a PUT (BadDigest: the ETag is not the MD5 here), a multipart upload whose parts
    /// are read one after the other into one buffer (each part's MD5 sent; a failed part is resent alone from that
    /// buffer; any failure aborts the upload). Memory per upload: at most one part, taken from <see cref="Writes"/>
    /// before the content is opened. A single PUT gives its buffer back as soon as the body is sent
    /// (<see cref="SentOnceBody"/>), not when the server answers, so the next object is read from the repository while
    /// the server is still writing this one; an attempt retried after that reads the content again.
    /// </summary>
    public async ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (length <= _options.PartSize)
        {
            return await PutOneAsync(key, open, (int)length, SourceMd5(sourceEtag), cancellationToken).ConfigureAwait(false);
        }

        if (length <= StreamedPutLimit && !_sourceEtagsRefused && !_streamedRefused && SourceMd5(sourceEtag) is { } md5)
        {
            var fullKeyStreamed = _options.Location.KeyOf(key);
            using var streaming = await Writes.TakeAsync(StreamedPutCost, cancellationToken).ConfigureAwait(false);
            try
            {
                return (await _transport.PutAsync(fullKeyStreamed, () => new ReopeningBody(open, length), length, md5, conditional: false, cancellationToken).ConfigureAwait(false)).ETag;
            }
            catch (Errors.StackvaultException e) when (e.InnerException is Amazon.S3.AmazonS3Exception { ErrorCode: "BadDigest" })
            {
                // the source's ETag is not its MD5 here (KMS, another server's ETags) or the bytes were damaged on the
                // way: this object and every later one go up in parts, each part under the MD5 of what it holds
                _streamedRefused = true;
            }
        }

        var fullKey = _options.Location.KeyOf(key);
        var bufferLength = (int)_options.PartSize;
        using var lease = await Writes.TakeAsync(ByteBudget.PooledCost(bufferLength), cancellationToken).ConfigureAwait(false);
        var buffer = Buffers.BufferPool.Rent(bufferLength);
        try
        {
            var content = await open(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                var result = await _transport.MultipartAsync(fullKey, length, parallelism: 1, async (_, size, ct) =>
                {
                    await content.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                    return buffer.AsMemory(0, size);
                }, conditional: false, cancellationToken).ConfigureAwait(false);
                return result.ETag;
            }
        }
        finally
        {
            Buffers.BufferPool.Return(buffer);
        }
    }

    /// <summary>
    /// One PUT: the content read into a buffer from <see cref="Writes"/>, sent under an MD5 the server checks, the
    /// buffer given back once the body is sent. The MD5 is the source's (<paramref name="sourceMd5"/>, from the
    /// snapshot's record of its ETag) when there is one: then nothing here hashes the content, and S3 refuses it
    /// (BadDigest) unless it arrived byte for byte as the source held it. Refused, the content is read again and
    /// hashed: if its own MD5 is the source's, the bytes were damaged on the way and are sent again; if not, the
    /// source's ETag was not its MD5 (server-side encryption with KMS keys, or another server's ETags), so the content
    /// goes under its own MD5 and this store stops taking recorded ETags for MD5s. Content refused under its own MD5 was
    /// damaged on the way: it is read and sent again, as often as a transient failure. An attempt that finds the buffer
    /// given back ends the transport's call; the content is then read again into a new buffer (outside the
    /// transport's request slots, so a wait for buffer memory never holds one) and must have the same MD5.
    /// </summary>
    private async ValueTask<string?> PutOneAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, int length, byte[]? sourceMd5, CancellationToken cancellationToken)
    {
        var fullKey = _options.Location.KeyOf(key);
        var trusted = _sourceEtagsRefused ? null : sourceMd5;
        byte[]? hashed = null;
        for (var reads = 1; ; reads++)
        {
            using var held = await UploadBuffer.TakeAsync(Writes, Math.Max(length, 1), cancellationToken).ConfigureAwait(false);
            var content = await open(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await content.ReadExactlyAsync(held.Array.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            var md5 = trusted;
            if (md5 is null)
            {
                var digest = S3Transport.Md5Of(held.Array.AsSpan(0, length));
                if (hashed is not null && !digest.AsSpan().SequenceEqual(hashed))
                {
                    throw new Errors.StackvaultException($"{key}: the content read again for a retried upload differs from the first read");
                }

                md5 = hashed = digest;
                if (sourceMd5 is not null && !digest.AsSpan().SequenceEqual(sourceMd5))
                {
                    _sourceEtagsRefused = true;
                }
            }

            try
            {
                var result = await _transport.PutAsync(fullKey, () => held.Given
                    ? throw new BufferGivenBackException()
                    : new SentOnceBody(held.Array, 0, length, passes: 2, held.GiveBack), length, md5, conditional: false, cancellationToken).ConfigureAwait(false);
                return result.ETag;
            }
            catch (BufferGivenBackException e)
            {
                // an attempt failed after its body was sent: read the content again, as often as the transport retries
                if (reads > _options.Retries)
                {
                    throw new Errors.StackvaultException($"{key}: the upload failed after its body was sent, {reads} times", e);
                }
            }
            catch (Errors.StackvaultException e) when (e.InnerException is Amazon.S3.AmazonS3Exception { ErrorCode: "BadDigest" } && (trusted is not null || reads <= _options.Retries))
            {
                // refused under the source's MD5: read again, hash, and decide (see above); refused under the content's
                // own MD5: the bytes were damaged on the way, read and send them again (as often as the transport retries)
                trusted = null;
            }
        }
    }

    /// <summary>The MD5 a single-part ETag (32 hex digits) names, or null (absent, multipart, or not hex).</summary>
    internal static byte[]? SourceMd5(string? etag) =>
        etag is { Length: 32 } && etag.All(char.IsAsciiHexDigit) ? Convert.FromHexString(etag) : null;

    /// <summary>True once S3 refused content under a recorded ETag that is not the content's MD5: recorded ETags are hashed from then on.</summary>
    internal bool SourceEtagsRefused => _sourceEtagsRefused;

    /// <summary>A retried attempt found its buffer given back (the body had been sent): the content is read again.</summary>
    private sealed class BufferGivenBackException() : Exception("the upload buffer was given back");

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }
}
