namespace Stackvault.Buckets;

/// <summary>
/// The objects under a prefix of a bucket (S3) or a directory (an engine's filesystem backend). Keys are relative to
/// the prefix, '/'-separated. Implementations retry transient failures and throw <see cref="Errors.StackvaultException"/>
/// for the rest.
/// </summary>
public interface IBucketStore : IAsyncDisposable
{
    /// <summary>The location, for messages and the manifest (never holds a secret).</summary>
    string Location { get; }

    /// <summary>Every object, in key order.</summary>
    IAsyncEnumerable<BucketObject> ListAsync(CancellationToken cancellationToken);

    /// <summary>Opens an object for reading; the stream may be read once, forward.</summary>
    ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="present"/> (listed from this store) holds the content <paramref name="open"/> reads, as
    /// far as the store can tell: by its ETag (single-part MD5 or multipart form) or by reading it.
    /// </summary>
    ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken);

    /// <summary>
    /// Writes an object of <paramref name="length"/> bytes that <paramref name="open"/> reads forward from its start,
    /// afresh on each call (a store may call it again for a retry or a second pass); returns its new ETag.
    /// <paramref name="sourceEtag"/> is the ETag the object had where it was backed up (the snapshot's record), or
    /// null: a store whose server checks an MD5 it is sent may send that instead of hashing the content (S3), so the
    /// server proves the object arrived as the source held it. It is a claim, never trusted alone: content the server
    /// refuses under it is hashed and sent under its own MD5.
    /// </summary>
    ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken);
}
