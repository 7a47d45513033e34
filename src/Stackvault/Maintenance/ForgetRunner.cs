using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Maintenance.Retention;
using Stackvault.Storage;

namespace Stackvault.Maintenance;

/// <summary>
/// <c>stackvault forget</c>: applies a retention policy per group and deletes the snapshot objects it does not keep.
/// Deleting a snapshot only deletes <c>snapshots/&lt;id&gt;</c>; its data goes with the next prune. Runs under the
/// exclusive lock and checks it before every deletion.
/// </summary>
public sealed class ForgetRunner(Repository.Repository repository, RepositoryLock repositoryLock, ForgetOptions options)
{
    public async ValueTask<IReadOnlyList<ForgetGroup>> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Policy.IsEmpty)
        {
            throw new UsageException("no keep rule given (--keep-last, --keep-hourly, ..., --keep-within, --keep-tag): refusing to remove every snapshot");
        }

        if (repositoryLock.Kind != LockKind.Exclusive)
        {
            throw new InvalidOperationException("forget needs the exclusive lock");
        }

        var snapshots = (await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => (options.Host is null || s.Snapshot.Hostname == options.Host) && options.Tags.All(t => s.Snapshot.Tags.Contains(t)))
            .ToList();
        var groups = snapshots
            .GroupBy(s => SnapshotGroupKey.Of(s.Snapshot, options.GroupBy))
            .Select(g => new ForgetGroup(g.Key, RetentionEvaluator.Evaluate(
                g.Select(s => new RetentionCandidate(s.Id.ToString(), s.Snapshot.Time, s.Snapshot.Tags, s.Snapshot.Status == Repository.Model.SnapshotStatus.Complete)),
                options.Policy,
                options.AllowEmpty)))
            .OrderBy(g => g.Key.ToString(), StringComparer.Ordinal)
            .ToList();

        if (!options.DryRun)
        {
            foreach (var decision in groups.SelectMany(g => g.Removed))
            {
                repositoryLock.ThrowIfLost();
                await repository.Storage.DeleteAsync(new ObjectHandle(ObjectKind.Snapshot, decision.Candidate.Id), cancellationToken).ConfigureAwait(false);
            }
        }

        return groups;
    }
}
