using Stackvault.Errors;
using Stackvault.Jobs.Aftercare;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs;

/// <summary>The steps after the backup: the integration seam for retention, tier copies and notifications; component sizes.</summary>
public sealed partial class JobPipeline
{
    /// <summary>
    /// After a backup, with the repository still open and the backup's lock released: the job's retention (only after
    /// a complete run) and its <c>copy_to</c> tier copies through <see cref="JobAftercare"/>, recorded in the outcome
    /// (status.json and the retention/prune/tier metrics). An aftercare error never turns the backup into a failure:
    /// it is warned about and recorded as a tier failure.
    /// </summary>
    private async ValueTask<JobOutcome> AftercareAsync(JobOutcome outcome, JobSelection selection, JobPipelineOptions options, Repository.Repository repository, CancellationToken cancellationToken)
    {
        if (selection.Job is not { } job || options.Config is not { } config || (job.CopyTo.Count == 0 && !TierRetention.Any(config, job)))
        {
            return outcome;
        }

        var run = outcome.Result?.Backup.SnapshotId is { } snapshotId ? new JobRunOutcome(snapshotId, outcome.IsSuccess) : JobRunOutcome.Failed;
        var open = options.OpenConfiguredRepository ?? ((entry, _) => throw new StackvaultException($"cannot open tier {entry.Name}: no opener configured"));
        void Warn(string message) => options.Warn?.Invoke(message);
        var tierPrefix = $"job {job.Name}: copy to ";
        void AftercareWarn(string message)
        {
            if (options.TierCopied is null || !message.StartsWith(tierPrefix, StringComparison.Ordinal))
            {
                Warn(message);
            }
        }

        try
        {
            var result = await new JobAftercare().RunAsync(config, job, repository, run, open, time, AftercareWarn, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (!result.Retention.Skipped)
            {
                outcome.Retention = result.Retention.ToRecord(now);
            }

            foreach (var tier in result.Tiers)
            {
                var lag = tier.Lag ?? await UnknownLagAsync(repository, job.Name, tier.Tier, cancellationToken).ConfigureAwait(false);
                var retention = tier.Retention is { Skipped: false } r ? r.ToRecord(now) : null;
                outcome.TierCopies.Add(new TierCopyRecord(tier.Tier, tier.Result, now, lag, tier.Message, tier.Copied, retention, tier.Newest));
            }
        }
        catch (Exception e) when (e is StackvaultException or IOException or UnauthorizedAccessException)
        {
            Warn($"job {job.Name}: aftercare failed: {e.Message}");
            outcome.TierCopies.AddRange(job.CopyTo.Select(t => new TierCopyRecord(t, TierCopyRecord.Failure, time.GetUtcNow(), 0, e.Message)));
        }

        foreach (var copy in outcome.TierCopies)
        {
            options.TierCopied?.Invoke(copy);
        }

        return outcome;
    }

    /// <summary>
    /// The lag of a tier that could not be read (skipped: drive not mounted; or failed before the copy): the job's
    /// snapshots in its repository made after the tier's last successful copy (all of them when it never had one).
    /// Counting 0 would hide exactly the tier that falls behind.
    /// </summary>
    private async ValueTask<int> UnknownLagAsync(Repository.Repository repository, string job, string tier, CancellationToken cancellationToken)
    {
        var since = store is null ? null : store.Load().Jobs.GetValueOrDefault(job)?.Tiers.GetValueOrDefault(tier)?.LastSuccessAt;
        try
        {
            var tag = JobRetention.JobTag(job);
            return (await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false))
                .Count(s => s.Snapshot.Tags.Contains(tag, StringComparer.Ordinal) && (since is null || s.Snapshot.Time > since));
        }
        catch (Exception e) when (e is StackvaultException or IOException)
        {
            return 0;
        }
    }

    /// <summary>Each component's status, prepare time, and the bytes of the files under its directory in the snapshot.</summary>
    private static async ValueTask<IReadOnlyList<ComponentOutcome>> ComponentsAsync(Repository.Repository repository, JobResult result, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (result.Backup.SnapshotId is not null)
        {
            var root = await repository.LoadTreeAsync(result.Backup.Snapshot.Tree, cancellationToken).ConfigureAwait(false);
            foreach (var node in root.Nodes.Where(n => n.Type == NodeType.Directory && n.Subtree is not null))
            {
                sizes[node.Name] = await SizeAsync(repository, node.Subtree!.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. result.Components.Select(c => new ComponentOutcome(c.Name, c.Type, c.Status, c.DurationSeconds, sizes.GetValueOrDefault(c.Name), c.Error))];
    }

    private static async ValueTask<long> SizeAsync(Repository.Repository repository, ObjectId treeId, CancellationToken cancellationToken)
    {
        long total = 0;
        var pending = new Stack<ObjectId>([treeId]);
        while (pending.TryPop(out var id))
        {
            foreach (var node in (await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false)).Nodes)
            {
                if (node.Type == NodeType.File)
                {
                    total += node.Size;
                }
                else if (node.Subtree is { } subtree)
                {
                    pending.Push(subtree);
                }
            }
        }

        return total;
    }
}
