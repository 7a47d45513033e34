using Stackvault.Errors;
using Stackvault.Storage.S3.Transport;

namespace Stackvault.Storage.S3;

/// <summary>
/// The write path of <see cref="S3Storage"/>. Never overwriting takes three layers: a per-key lock inside this
/// process, a HEAD check, and <c>If-None-Match: *</c> on the PUT (or on CompleteMultipartUpload), which AWS S3 and
/// recent MinIO honour. On a server that ignores the header, two processes writing one key in the same instant can
/// both pass the HEAD check and the last one wins (docs/design.md section 3). Multipart parts are slices of the
/// caller's memory (no copy), a few in flight at once.
/// </summary>
public sealed partial class S3Storage
{
    private const int MaxPartsInFlight = 4;

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

            var partSize = (int)_options.PartSize;
            var result = data.Length > _options.MultipartThreshold
                ? await _transport.MultipartAsync(key, data.Length, MaxPartsInFlight, (index, size, _) => ValueTask.FromResult(data.Slice(index * partSize, size)), _options.ConditionalWrites, cancellationToken).ConfigureAwait(false)
                : await _transport.PutAsync(key, () => S3Transport.StreamOf(data), data.Length, S3Transport.Md5Of(data.Span), _options.ConditionalWrites, cancellationToken).ConfigureAwait(false);
            if (result.Existed)
            {
                throw new ObjectExistsException(handle);
            }
        }
        finally
        {
            keyLock.Release();
        }
    }
}
