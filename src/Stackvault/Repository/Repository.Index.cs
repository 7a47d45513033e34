using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

public sealed partial class Repository
{
    /// <summary>Reads every index file (checking its hash and authentication) into the master index.</summary>
    public async ValueTask<IReadOnlyList<ObjectHandle>> LoadIndexAsync(CancellationToken cancellationToken)
    {
        var files = await ReadIndexFilesAsync(null, cancellationToken).ConfigureAwait(false);

        foreach (var (_, file, _) in files.Where(f => f.Live))
        {
            foreach (var (packId, blobs) in file.Packs)
            {
                Index.AddPack(packId, blobs);
            }
        }

        return [.. files.Select(f => f.Handle)];
    }

    /// <summary>What to run when an index file is damaged.</summary>
    public const string RepairIndexHint = "run 'stackvault repair index' to rebuild the index from the packs";

    /// <summary>Empties the master index and reads the index files again (after a prune rewrote them).</summary>
    public ValueTask<IReadOnlyList<ObjectHandle>> ReloadIndexAsync(CancellationToken cancellationToken)
    {
        Index.Clear();
        return LoadIndexAsync(cancellationToken);
    }

    /// <summary>
    /// Reads every index file, sorted by name, and marks the live ones: those no readable index file supersedes (the
    /// one rule every reader applies). A corrupt or vanished file throws, or, given <paramref name="onUnreadable"/>,
    /// is reported there and skipped (verify lists it and goes on).
    /// </summary>
    public async ValueTask<IReadOnlyList<IndexFileEntry>> ReadIndexFilesAsync(Action<ObjectHandle, StackvaultException>? onUnreadable, CancellationToken cancellationToken)
    {
        var handles = new List<ObjectHandle>();
        await foreach (var info in Storage.ListAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false))
        {
            handles.Add(info.Handle);
        }

        handles.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        var files = new IndexFile?[handles.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, handles.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                try
                {
                    files[i] = await ReadIndexFileAsync(handles[i], ct).ConfigureAwait(false);
                }
                catch (StackvaultException e) when (onUnreadable is not null && e is CorruptObjectException or ObjectNotFoundException)
                {
                    lock (handles)
                    {
                        onUnreadable(handles[i], e);
                    }
                }
                catch (CorruptObjectException e)
                {
                    throw new StackvaultException(e.Message + "; " + RepairIndexHint, e);
                }
            }).ConfigureAwait(false);

        var superseded = files.OfType<IndexFile>().SelectMany(f => f.Supersedes).Select(id => id.ToString()).ToHashSet();
        return [.. handles.Select((h, i) => (h, f: files[i])).Where(x => x.f is not null).Select(x => new IndexFileEntry(x.h, x.f!, !superseded.Contains(x.h.Name)))];
    }

    public async ValueTask<IndexFile> ReadIndexFileAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        var stored = await Storage.ReadAllAsync(handle, cancellationToken).ConfigureAwait(false);
        ObjectNames.Check(handle, stored);
        var plain = Documents.Decode(handle, stored);
        try
        {
            return IndexFile.Decode(plain);
        }
        catch (InvalidDataException e)
        {
            throw new CorruptObjectException(handle, e.Message);
        }
    }

    /// <summary>Writes an index file; returns its handle. Its packs must have been saved before (write order).</summary>
    public async ValueTask<ObjectHandle> SaveIndexFileAsync(IndexFile index, CancellationToken cancellationToken)
    {
        var stored = Documents.Encode(index.Encode());
        var handle = ObjectNames.For(ObjectKind.Index, stored);
        await Storage.SaveAsync(handle, stored, cancellationToken).ConfigureAwait(false);
        return handle;
    }
}
