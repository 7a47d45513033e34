using Stackvault.Storage;

namespace Stackvault.Tests.Locking;

/// <summary>An IStorage decorator that can run a hook after a save or before a read and make saves fail, to exercise lock races, outages and slow stores.</summary>
internal sealed class InterceptingStorage(IStorage inner) : IStorage
{
    /// <summary>Runs once, after the next successful save.</summary>
    public Func<Task>? AfterSave { get; set; }

    /// <summary>While true, every save throws an IOException.</summary>
    public bool FailSaves { get; set; }

    /// <summary>When set, packs stream through the writers it returns (given the inner storage's own writer).</summary>
    public Func<IObjectWriter, IObjectWriter>? WrapObjectWriter { get; set; }

    public string Location => inner.Location;

    public bool StreamsObjects => WrapObjectWriter is not null && inner.StreamsObjects;

    public IObjectWriter StartObject(ObjectKind kind) =>
        (WrapObjectWriter ?? throw new NotSupportedException("no object writer set"))(inner.StartObject(kind));

    public ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken) => inner.RepositoryExistsAsync(cancellationToken);

    public ValueTask CreateLayoutAsync(CancellationToken cancellationToken) => inner.CreateLayoutAsync(cancellationToken);

    public async ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (FailSaves)
        {
            throw new IOException("simulated outage");
        }

        await inner.SaveAsync(handle, data, cancellationToken);
        if (AfterSave is { } hook)
        {
            AfterSave = null;
            await hook();
        }
    }

    public ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.ReadAllAsync(handle, cancellationToken);

    /// <summary>When set, awaited before every ranged read (to delay reads or count them in flight).</summary>
    public Func<ObjectHandle, CancellationToken, Task>? BeforeReadAt { get; set; }

    public async ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (BeforeReadAt is { } hook)
        {
            await hook(handle, cancellationToken);
        }

        await inner.ReadAtAsync(handle, offset, buffer, cancellationToken);
    }

    public ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.StatAsync(handle, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> ListAsync(ObjectKind kind, CancellationToken cancellationToken) => inner.ListAsync(kind, cancellationToken);

    public ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken) => inner.DeleteAsync(handle, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
