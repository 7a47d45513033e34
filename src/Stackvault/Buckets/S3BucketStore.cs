using System.Security.Cryptography;
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
    }

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
    /// Writes from the staged, seekable content: one PUT, or above the multipart threshold parts read one after the
    /// other into one buffer (a failed part is resent alone; any failure aborts the upload).
    /// </summary>
    public async ValueTask<string?> PutAsync(string key, Stream content, long length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var fullKey = _options.Location.KeyOf(key);
        S3Transport.WriteResult result;
        if (length > _options.MultipartThreshold)
        {
            var buffer = new byte[Math.Min(_options.PartSize, length)];
            content.Position = 0;
            result = await _transport.MultipartAsync(fullKey, length, parallelism: 1, async (_, size, ct) =>
            {
                await content.ReadExactlyAsync(buffer.AsMemory(0, size), ct).ConfigureAwait(false);
                return buffer.AsMemory(0, size);
            }, conditional: false, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            content.Position = 0;
            var md5 = await MD5.HashDataAsync(content, cancellationToken).ConfigureAwait(false);
            result = await _transport.PutAsync(fullKey, () => new NonClosingStream(content), length, md5, conditional: false, cancellationToken).ConfigureAwait(false);
        }

        return result.ETag;
    }

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The staged content for one attempt of a PUT: from its start, and left open for the next attempt.</summary>
    private sealed class NonClosingStream : Stream
    {
        private readonly Stream _inner;

        public NonClosingStream(Stream inner)
        {
            _inner = inner;
            _inner.Position = 0;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _inner.Length;

        public override long Position { get => _inner.Position; set => _inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
