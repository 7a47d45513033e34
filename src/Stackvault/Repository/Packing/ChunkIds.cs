namespace Stackvault.Repository.Packing;

/// <summary>
/// The ids of one file's chunks, in file order, filled in by the blob writer's workers as they hash the chunks (the
/// reader only cuts them). <see cref="Completion"/> finishes once <see cref="Seal"/> was called and every chunk
/// handed out by <see cref="Next"/> has its id.
/// </summary>
public sealed class ChunkIds
{
    private readonly List<ObjectId> _ids = [];
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _outstanding = 1; // the reader's own hold, released by Seal

    public Task Completion => _done.Task;

    /// <summary>The ids in chunk order; read it only once <see cref="Completion"/> has finished.</summary>
    public List<ObjectId> Ids => _done.Task.IsCompletedSuccessfully ? _ids : throw new InvalidOperationException("chunks are still being hashed");

    /// <summary>Reserves the slot of the file's next chunk (the reader's thread only).</summary>
    public int Next()
    {
        Interlocked.Increment(ref _outstanding);
        lock (_ids)
        {
            _ids.Add(default);
            return _ids.Count - 1;
        }
    }

    /// <summary>No more chunks will be added.</summary>
    public void Seal() => Release();

    internal void Set(int index, ObjectId id)
    {
        lock (_ids)
        {
            _ids[index] = id;
        }

        Release();
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _done.TrySetResult();
        }
    }
}
