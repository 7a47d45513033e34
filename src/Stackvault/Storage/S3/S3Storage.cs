using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;
using Stackvault.Storage.Local;
using Stackvault.Storage.S3.Transport;

namespace Stackvault.Storage.S3;

/// <summary>
/// A repository under a key prefix of an S3 bucket: the object at relative path <c>P</c> is the key <c>PREFIX/P</c>.
/// Every request goes through the shared <see cref="S3Transport"/> (retries, error mapping, multipart uploads and
/// their abort, ETag recovery). Writes never overwrite (conditional PUT plus a HEAD check, see S3Storage.Save.cs);
/// large objects go through a multipart upload that is aborted on any failure, so an object is either absent or complete.
/// </summary>
public sealed partial class S3Storage : IStorage
{
    private readonly S3StorageOptions _options;
    private readonly S3Transport _transport;

    public S3Storage(S3StorageOptions options, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _transport = new S3Transport(options);
        Location = location ?? options.Location.ToString();
    }

    public string Location { get; }

    /// <summary>How many retries happened (for tests and diagnostics).</summary>
    internal int RetryCount => _transport.RetryCount;

    public async ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken) =>
        await StatAsync(ObjectHandle.Config, cancellationToken).ConfigureAwait(false) is not null;

    public async ValueTask CreateLayoutAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_options.CreateBucket)
        {
            return; // object stores have no directories
        }

        var bucket = _options.Location.Bucket;
        try
        {
            await _transport.SendAsync(string.Empty, ct => _transport.Client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" })
        {
            // idempotent
        }
    }

    public async ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken) =>
        (await _transport.HeadAsync(KeyOf(handle), cancellationToken).ConfigureAwait(false))?.Size;

    public async ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken) =>
        await _transport.DeleteAsync(KeyOf(handle), cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        _transport.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The object's key; rejects names that are not lower-case hex (no key tricks).</summary>
    internal string KeyOf(ObjectHandle handle)
    {
        if (handle.Kind == ObjectKind.Config ? handle.Name.Length != 0 : !LocalStorage.IsObjectName(handle.Name))
        {
            throw new ArgumentException($"invalid object name '{handle.Name}' for {handle.Kind}: expected lower-case hex", nameof(handle));
        }

        return _options.Location.KeyOf(handle.RelativePath);
    }

    private static async Task<T> Absent<T>(ObjectHandle handle, Task<T> request)
    {
        try
        {
            return await request.ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ObjectNotFoundException(handle);
        }
    }
}
