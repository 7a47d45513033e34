using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

public sealed partial class Repository
{
    /// <summary>Reads every index file (checking its hash and authentication) into the master index.</summary>
    public async ValueTask<IReadOnlyList<ObjectHandle>> LoadIndexAsync(CancellationToken cancellationToken)
    {
        var handles = new List<ObjectHandle>();
        await foreach (var info in Storage.ListAsync(ObjectKind.Index, cancellationToken).ConfigureAwait(false))
        {
            handles.Add(info.Handle);
        }

        var files = new IndexFile[handles.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, handles.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) => files[i] = await ReadIndexFileAsync(handles[i], ct).ConfigureAwait(false)).ConfigureAwait(false);

        var superseded = files.SelectMany(f => f.Supersedes).Select(id => id.ToString()).ToHashSet();
        for (var i = 0; i < files.Length; i++)
        {
            if (superseded.Contains(handles[i].Name))
            {
                continue;
            }

            foreach (var (packId, blobs) in files[i].Packs)
            {
                Index.AddPack(packId, blobs);
            }
        }

        return handles;
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
