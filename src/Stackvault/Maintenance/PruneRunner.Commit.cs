using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Storage;

namespace Stackvault.Maintenance;

public sealed partial class PruneRunner
{
    /// <summary>
    /// Writes the new index (only its last file supersedes, so a crash between files loses no entry), deletes the
    /// superseded index files, and only then the packs: index entries are dropped before data (invariant 4). The
    /// packs about to be deleted are recorded as pending orphans too, so a prune killed during the deletions is
    /// finished by the next one. The lock is checked before every write and every deletion.
    /// </summary>
    private async ValueTask CommitAsync(PrunePlan plan, (List<ObjectHandle> IndexFiles, List<(ObjectId PackId, List<PackEntry> Blobs)> Packs) repacked, CancellationToken cancellationToken)
    {
        var packs = plan.Keep.Select(p => (p.PackId, p.Entries)).Concat(repacked.Packs).ToList();
        var superseded = _indexHandles.Concat(repacked.IndexFiles).Distinct().ToList();
        var toDelete = plan.Unused.Concat(plan.Repack).Select(p => p.PackId).Concat(plan.DeletableOrphans).ToList();
        var files = Split(packs);
        for (var i = 0; i < files.Count; i++)
        {
            if (i == files.Count - 1)
            {
                files[i].Supersedes.AddRange(superseded.Select(ObjectNames.IdOf));
                files[i].PendingOrphans.AddRange(plan.NewOrphans.Concat(toDelete).Distinct());
            }

            CheckLock();
            try
            {
                await repository.SaveIndexFileAsync(files[i], cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectExistsException)
            {
                // The same bytes are stored already (content addressing).
            }

            _result.IndexFilesWritten++;
        }

        foreach (var handle in superseded)
        {
            CheckLock();
            await repository.Storage.DeleteAsync(handle, cancellationToken).ConfigureAwait(false);
            _result.IndexFilesDeleted++;
        }

        foreach (var pack in toDelete)
        {
            CheckLock();
            await repository.Storage.DeleteAsync(PackHandle(pack), cancellationToken).ConfigureAwait(false);
        }

        Log?.Invoke($"wrote {files.Count} index files, deleted {superseded.Count} index files and {toDelete.Count} packs");
    }

    /// <summary>Cuts the pack list into index files of at most MaxBlobsPerIndexFile blobs (a pack is never split); always at least one file.</summary>
    private List<IndexFile> Split(List<(ObjectId PackId, List<PackEntry> Blobs)> packs)
    {
        var files = new List<IndexFile> { new() };
        var blobs = 0;
        foreach (var pack in packs)
        {
            if (files[^1].Packs.Count > 0 && blobs + pack.Blobs.Count > options.MaxBlobsPerIndexFile)
            {
                files.Add(new IndexFile());
                blobs = 0;
            }

            files[^1].Packs.Add(pack);
            blobs += pack.Blobs.Count;
        }

        return files;
    }
}
