namespace Stackvault.Storage;

/// <summary>
/// An object written piece by piece and named only when complete (a pack: its name is the SHA-256 of its bytes).
/// Until <see cref="PublishAsync"/> succeeds nothing is visible under any object name; disposing an unpublished
/// writer discards what was written, and a killed process leaves only what <see cref="IStorage.SweepAbandonedAsync"/>
/// removes.
/// </summary>
public interface IObjectWriter : IDisposable
{
    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    /// <summary>Appends the bytes.</summary>
    void Write(ReadOnlySpan<byte> data) => WriteAt(Length, data);

    /// <summary>
    /// Writes the bytes at <paramref name="offset"/>. Calls for disjoint ranges may run at the same time (a pack's
    /// blobs are written by several workers, each into the range it reserved); <see cref="Length"/> becomes the end
    /// of the furthest range written.
    /// </summary>
    void WriteAt(long offset, ReadOnlySpan<byte> data);

    /// <summary>Makes what was written durable and visible under the handle; throws ObjectExistsException if present.</summary>
    ValueTask PublishAsync(ObjectHandle handle, CancellationToken cancellationToken);
}
