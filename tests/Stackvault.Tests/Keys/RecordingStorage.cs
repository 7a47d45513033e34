using Stackvault.Storage;

namespace Stackvault.Tests.Keys;

/// <summary>An IStorage decorator that records every save and delete in order, and can make deletes fail (a crash before them).</summary>
internal sealed class RecordingStorage(IStorage inner) : IStorage
{
    public List<string> Operations { get; } = [];

    public bool FailDeletes { get; set; }

    public string Location => inner.Location;

    public ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken) => inner.RepositoryExistsAsync(cancellationToken);

    public ValueTask CreateLayoutAsync(CancellationToken cancellationToken) => inner.CreateLayoutAsync(cancellationToken);

    public async ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(handle, data, cancellationToken);
        Operations.Add("save " + handle.RelativePath);
    }

    public ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.ReadAllAsync(handle, cancellationToken);

    public ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken) =>
        inner.ReadAtAsync(handle, offset, buffer, cancellationToken);

    public ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.StatAsync(handle, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken) => inner.ListAsync(kind, cancellationToken);

    public async ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        if (FailDeletes)
        {
            throw new IOException("simulated crash before the delete");
        }

        await inner.DeleteAsync(handle, cancellationToken);
        Operations.Add("delete " + handle.RelativePath);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
