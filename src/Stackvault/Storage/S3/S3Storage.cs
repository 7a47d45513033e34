using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Stackvault.Errors;
using Stackvault.Storage.Local;

namespace Stackvault.Storage.S3;

/// <summary>
/// A repository under a key prefix of an S3 bucket: the object at relative path <c>P</c> is the key <c>PREFIX/P</c>.
/// Writes never overwrite (conditional PUT plus a HEAD check, see S3Storage.Save.cs); large objects go through a
/// multipart upload that is aborted on any failure, so an object is either absent or complete.
/// </summary>
public sealed partial class S3Storage : IStorage
{
    private readonly S3StorageOptions _options;
    private readonly IAmazonS3 _client;
    private readonly SemaphoreSlim _gate;
    private int _retryCount;

    public S3Storage(S3StorageOptions options, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _gate = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _client = S3ClientFactory.Create(options);
        Location = location ?? options.Location.ToString();
    }

    public string Location { get; }

    private string EndpointText => _options.Location.Endpoint?.ToString().TrimEnd('/') ?? $"https://s3.{_options.Region}.amazonaws.com";

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
            await SendAsync(string.Empty, ct => _client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (StackvaultException e) when (e.InnerException is AmazonS3Exception { ErrorCode: "BucketAlreadyOwnedByYou" or "BucketAlreadyExists" })
        {
            // idempotent
        }
    }

    public async ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        try
        {
            var response = await SendAsync(key, ct => _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _options.Location.Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
            return response.ContentLength;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var key = KeyOf(handle);
        try
        {
            await SendAsync(key, ct => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _options.Location.Bucket, Key = key }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // absent is fine
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _gate.Dispose();
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
}
