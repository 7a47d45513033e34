using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Components;

/// <summary>
/// The repository's earlier snapshots as a job offers them to its adapters, read only: an adapter that can take
/// unchanged content from a snapshot instead of its source (a bucket's meta.json files, which its scan must read)
/// asks for the latest snapshot holding a section like its own. The snapshots are listed once per job run, for every
/// adapter that asks. Reading content through <see cref="Repository"/> is the only way back from the repository
/// into a backup, and it is safe: content comes by blob id, every blob checked against its id as it is read.
/// </summary>
public sealed class ComponentHistory(Repository.Repository repository)
{
    private readonly Lock _gate = new();
    private Task<List<(ObjectId Id, Snapshot Snapshot)>>? _snapshots;

    /// <summary>The repository the snapshots are in (its index loaded by the job before the components are prepared).</summary>
    public Repository.Repository Repository => repository;

    /// <summary>The latest snapshot holding a section that <paramref name="match"/> accepts; null when none does.</summary>
    public async ValueTask<ObjectId?> LatestAsync(Func<ComponentSection, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        Task<List<(ObjectId Id, Snapshot Snapshot)>> snapshots;
        lock (_gate)
        {
            snapshots = _snapshots ??= repository.ListSnapshotsAsync(cancellationToken).AsTask();
        }

        var all = await snapshots.WaitAsync(cancellationToken).ConfigureAwait(false);
        var found = all.LastOrDefault(s => s.Snapshot.Components?.Any(match) == true);
        return found.Snapshot is null ? null : found.Id;
    }
}
