using Stackvault.Backup;
using Stackvault.Locking;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

/// <summary>
/// <c>bucket backup</c>: scans the bucket, then backs the selected objects up into one snapshot. The parent is the
/// latest snapshot of the same source, component name and shard (whatever the host: shard workers are pods), so an
/// object with the same key, size and ETag is not downloaded again, not even a block's meta.json, which the scan
/// reads back from the parent (<see cref="ParentObjects"/>): an unchanged bucket costs its listing only.
/// </summary>
public sealed class BucketBackup(Repository.Repository repository, RepositoryLock repositoryLock, BackupProgress progress)
{
    public ValueTask<(BucketPlan Plan, BackupResult Result)> RunAsync(IBucketStore store, BucketBackupOptions options, CancellationToken cancellationToken) =>
        RunAsync(store, options, ahead: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(IBucketStore, BucketBackupOptions, CancellationToken)"/>, taking the scan from <paramref name="ahead"/> when it made one (then there is no parent).</summary>
    public async ValueTask<(BucketPlan Plan, BackupResult Result)> RunAsync(IBucketStore store, BucketBackupOptions options, BucketScanAhead? ahead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var shardTag = options.Scan.Shard.IsAll ? null : BucketPlan.ShardTagPrefix + options.Scan.Shard;
        var scanned = ahead is null ? null : await ahead.ResultAsync(cancellationToken).ConfigureAwait(false);
        var parent = options.Parent;
        if (scanned is null && parent is null && !options.Force)
        {
            var snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
            var match = snapshots.LastOrDefault(s => s.Snapshot.Components?.Any(c => BucketPlan.IsRunOf(c, options.Name, store.Location)) == true
                && s.Snapshot.Tags.FirstOrDefault(t => t.StartsWith(BucketPlan.ShardTagPrefix, StringComparison.Ordinal)) == shardTag);
            parent = match.Snapshot is null ? null : match.Id;
        }

        var parentObjects = parent is { } id && !options.Force && scanned is null
            ? await ParentObjects.LoadAsync(repository, id, "/" + options.Name, "meta.json", cancellationToken).ConfigureAwait(false)
            : ParentObjects.None;
        var plan = scanned is not null
            ? BucketPlan.Create(options.Name, store, scanned, repository.Chunker)
            : await BucketPlan.CreateAsync(options.Name, store, options.Scan, repository.Time, parentObjects, repository.Chunker, cancellationToken).ConfigureAwait(false);
        progress.SetTotals(plan.Report.Selected.Count, plan.Report.SelectedBytes);

        var backup = new BackupOptions
        {
            Sources = [plan.Source],
            Tags = [.. options.Tags, .. shardTag is null ? Array.Empty<string>() : [shardTag]],
            Hostname = options.Hostname,
            Parent = parent,
            Force = options.Force,
            FileConcurrency = options.Concurrency,
            Finish = plan.Finish,
        };
        if (parent is null)
        {
            // no earlier snapshot of this source: do not let the engine pick one of another bucket by host and path
            backup = new BackupOptions
            {
                Sources = backup.Sources, Tags = backup.Tags, Hostname = backup.Hostname, Force = true, FileConcurrency = backup.FileConcurrency, Finish = backup.Finish,
            };
        }

        var result = await new BackupRunner(repository, repositoryLock, backup, progress).RunAsync(cancellationToken).ConfigureAwait(false);
        return (plan, result);
    }
}
