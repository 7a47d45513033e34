using System.Runtime.CompilerServices;
using global::Azure;
using global::Azure.Storage;
using global::Azure.Storage.Blobs.Models;
using Stackvault.Errors;
using Stackvault.Storage.Local;
using Stackvault.Storage.S3;

namespace Stackvault.Storage.AzureBlob;

/// <summary>
/// A repository under a prefix of an Azure Blob container: the object at relative path <c>P</c> is the blob
/// <c>PREFIX/P</c>. Writes never overwrite: <c>If-None-Match: *</c> on the Put Blob (or on the Put Block List of a
/// large blob, whose staged blocks are invisible until that commit), so an object is absent or complete. A conflict on
/// a retry is told apart from a foreign object by the blob's Content-MD5, which every write sets. Init creates the
/// container when it does not exist.
/// </summary>
public sealed class AzureStorage : IStorage
{
    private readonly AzureStorageOptions _options;
    private readonly AzureTransport _transport;

    public AzureStorage(AzureStorageOptions options, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _transport = new AzureTransport(options);
        _options = options;
        Location = location ?? options.Location.ToString();
    }

    public string Location { get; }

    internal int RetryCount => _transport.RetryCount;

    /// <summary>False also when the container does not exist yet (init then creates it; other commands say there is no repository).</summary>
    public async ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StatAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false) is not null;
        }
        catch (StackvaultException e) when (e.InnerException is RequestFailedException { ErrorCode: "ContainerNotFound" })
        {
            return false;
        }
    }

    public async ValueTask CreateLayoutAsync(CancellationToken cancellationToken) =>
        await _transport.SendAsync(string.Empty, async ct => await _transport.Container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        var md5 = S3.Transport.S3Transport.Md5Of(data.Span);
        var blob = _transport.Container.GetBlobClient(key);
        var attempts = 0;
        await _transport.SendAsync(key, async ct =>
        {
            var retried = ++attempts > 1;
            try
            {
                return await blob.UploadAsync(BinaryData.FromBytes(data), new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentHash = md5, ContentType = "application/octet-stream" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    TransferOptions = new StorageTransferOptions
                    {
                        InitialTransferSize = _options.SingleUploadLimit,
                        MaximumTransferSize = _options.BlockSize,
                        MaximumConcurrency = 4,
                    },
                }, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // BlobAlreadyExists: another writer, or our own earlier attempt whose answer was lost
                if (retried && (await StatMd5Async(key, ct).ConfigureAwait(false)) is { } present && present.AsSpan().SequenceEqual(md5))
                {
                    return null!;
                }

                throw new ObjectExistsException(handle);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        var blob = _transport.Container.GetBlobClient(key);
        var content = await Absent(handle, _transport.SendAsync(key, async ct => (await blob.DownloadContentAsync(ct).ConfigureAwait(false)).Value, cancellationToken)).ConfigureAwait(false);
        return content.Content.ToArray();
    }

    public async ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(handle);
        var size = await StatAsync(handle, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(handle);
        if (offset + buffer.Length > size)
        {
            throw new CorruptObjectException(handle, $"truncated: wanted {buffer.Length} bytes at offset {offset}, object has {size} bytes");
        }

        if (buffer.Length == 0)
        {
            return;
        }

        var blob = _transport.Container.GetBlobClient(key);
        var read = await Absent(handle, _transport.SendAsync(key, async ct =>
        {
            using var response = (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, buffer.Length) }, ct).ConfigureAwait(false)).Value;
            return await response.Content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        }, cancellationToken)).ConfigureAwait(false);
        if (read < buffer.Length)
        {
            throw new CorruptObjectException(handle, $"truncated: wanted {buffer.Length} bytes at offset {offset}, got {read}");
        }
    }

    public async ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        var blob = _transport.Container.GetBlobClient(key);
        try
        {
            return await _transport.SendAsync(key, async ct => (await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value.ContentLength, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (AzureTransport.IsNotFound(e))
        {
            return null;
        }
    }

    public async IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (kind == ObjectKind.Config)
        {
            if (await StatAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false) is { } size)
            {
                yield return new ObjectInfo(ObjectHandle.Config, size);
            }

            yield break;
        }

        var relative = new ObjectHandle(kind, "00").RelativePath;
        var prefix = _options.Location.KeyOf(relative[..(relative.IndexOf('/', StringComparison.Ordinal) + 1)]);
        await foreach (var item in AzureListing.ListAsync(_transport, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (S3Storage.NameOf(kind, item.Name[prefix.Length..]) is { } name)
            {
                yield return new ObjectInfo(new ObjectHandle(kind, name), item.Properties.ContentLength ?? 0);
            }
        }
    }

    public async ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        var blob = _transport.Container.GetBlobClient(key);
        await _transport.SendAsync(key, async ct => (await blob.DeleteIfExistsAsync(cancellationToken: ct).ConfigureAwait(false)).Value, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<SweepResult> SweepAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SweepResult.Unsupported("Azure discards the uncommitted blocks of an interrupted upload itself (after 7 days); they are never a blob"));

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }

    internal string KeyOf(ObjectHandle handle)
    {
        if (handle.Kind == ObjectKind.Config ? handle.Name.Length != 0 : !LocalStorage.IsObjectName(handle.Name))
        {
            throw new ArgumentException($"invalid object name '{handle.Name}' for {handle.Kind}: expected lower-case hex", nameof(handle));
        }

        return _options.Location.KeyOf(handle.RelativePath);
    }

    private async Task<byte[]?> StatMd5Async(string key, CancellationToken cancellationToken)
    {
        try
        {
            return (await _transport.Container.GetBlobClient(key).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentHash;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task<T> Absent<T>(ObjectHandle handle, Task<T> request)
    {
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (AzureTransport.IsNotFound(e))
        {
            throw new ObjectNotFoundException(handle);
        }
    }
}
