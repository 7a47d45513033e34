namespace Stackvault.Storage;

/// <summary>
/// A place that stores immutable, named objects: a local directory, an S3 bucket prefix, ...
/// Every implementation passes the storage conformance suite in tests/Stackvault.Tests/Storage.
/// Rules: an object is never overwritten (SaveAsync on an existing name throws ObjectExistsException, for every
/// kind including Lock: a lock refresh writes a new object); an object is never visible half-written; a missing
/// object raises ObjectNotFoundException; listings may be in any order and never show temporary files.
/// Object names are lower-case hex (the config object's name is empty).
/// </summary>
public interface IStorage : IAsyncDisposable
{
    /// <summary>The location as the user wrote it, for messages.</summary>
    string Location { get; }

    /// <summary>True when the repository's config object exists.</summary>
    ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken);

    /// <summary>Creates the empty layout (directories or nothing on object stores). Idempotent.</summary>
    ValueTask CreateLayoutAsync(CancellationToken cancellationToken);

    /// <summary>Stores the bytes atomically under the handle; throws ObjectExistsException if present.</summary>
    ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>
    /// True when <see cref="StartObject"/> streams an object to the backend as it is written; otherwise a caller
    /// builds the object in memory and calls <see cref="SaveAsync"/>.
    /// </summary>
    bool StreamsObjects => false;

    /// <summary>Starts an object of the kind whose name is given when it is published (only if <see cref="StreamsObjects"/>).</summary>
    IObjectWriter StartObject(ObjectKind kind) => throw new NotSupportedException($"{Location} does not stream objects");

    /// <summary>Reads the whole object.</summary>
    ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken);

    /// <summary>Reads exactly <paramref name="buffer"/>.Length bytes at the offset; a short object raises CorruptObjectException.</summary>
    ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Size of the object, or null when absent.</summary>
    ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken);

    /// <summary>Lists objects of one kind.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken);

    /// <summary>Deletes the object; deleting an absent object is not an error.</summary>
    ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken);

    /// <summary>
    /// Removes what killed writers left behind that is older than <paramref name="olderThan"/> (never an object):
    /// temporary files, incomplete multipart uploads. Called by prune under the exclusive lock.
    /// </summary>
    ValueTask<SweepResult> SweepAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SweepResult.Unsupported("this backend leaves nothing behind to sweep"));
}
