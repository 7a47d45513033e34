using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs;

/// <summary>The steps after the backup: the integration seam for retention, tier copies and notifications; component sizes.</summary>
public sealed partial class JobPipeline
{
    /// <summary>
    /// ===== INTEGRATION SEAM: after a backup, with the repository still open and the backup's lock released. =====
    /// (1) retention after a successful (complete) run and (2) <c>copy_to</c> tier copies go through
    /// <c>Stackvault.Jobs.Aftercare.JobAftercare</c>: it should set <see cref="JobOutcome.Retention"/> (a
    /// <see cref="RetentionRecord"/>) and add one <see cref="TierCopyRecord"/> per tier to
    /// <see cref="JobOutcome.TierCopies"/>. Both are then recorded in status.json and exported as metrics
    /// (stackvault_retention_removed_snapshots_total, stackvault_prune_last_success_timestamp_seconds,
    /// stackvault_tier_copy_*). Wiring is, for example:
    /// <code>
    /// if (selection.Job is { } job) { await new Aftercare.JobAftercare(...).RunAsync(job, repository, outcome, cancellationToken); }
    /// </code>
    /// Errors of the aftercare must not turn the backup into a failure; record them as a tier "failure" instead.
    /// </summary>
    private static ValueTask<JobOutcome> AftercareAsync(JobOutcome outcome, JobSelection selection, Repository.Repository repository, CancellationToken cancellationToken)
    {
        _ = (selection, repository, cancellationToken);
        return ValueTask.FromResult(outcome);
    }

    /// <summary>
    /// ===== INTEGRATION SEAM (3): notifications through <c>Stackvault.Notifications.Notifier</c>, after every run
    /// (success, partial or failure), before the outcome is recorded. Notification errors must only be warned about.
    /// </summary>
    private static ValueTask NotifyAsync(JobOutcome outcome, JobSelection selection, CancellationToken cancellationToken)
    {
        _ = (outcome, selection, cancellationToken);
        return ValueTask.CompletedTask;
    }

    /// <summary>Each component's status, prepare time, and the bytes of the files under its directory in the snapshot.</summary>
    private static async ValueTask<IReadOnlyList<ComponentOutcome>> ComponentsAsync(Repository.Repository repository, JobResult result, CancellationToken cancellationToken)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (result.Backup.SnapshotId is not null && ObjectId.TryParse(result.Backup.Snapshot.Tree, out var rootId))
        {
            var root = await repository.LoadTreeAsync(rootId, cancellationToken).ConfigureAwait(false);
            foreach (var node in root.Nodes.Where(n => n.Type == NodeType.Directory && n.Subtree is not null))
            {
                sizes[node.Name] = await SizeAsync(repository, node.Subtree!, cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. result.Components.Select(c => new ComponentOutcome(c.Name, c.Type, c.Status, c.DurationSeconds, sizes.GetValueOrDefault(c.Name), c.Error))];
    }

    private static async ValueTask<long> SizeAsync(Repository.Repository repository, string treeId, CancellationToken cancellationToken)
    {
        long total = 0;
        var pending = new Stack<string>([treeId]);
        while (pending.TryPop(out var id))
        {
            if (!ObjectId.TryParse(id, out var parsed))
            {
                continue;
            }

            foreach (var node in (await repository.LoadTreeAsync(parsed, cancellationToken).ConfigureAwait(false)).Nodes)
            {
                if (node.Type == NodeType.File)
                {
                    total += node.Size;
                }
                else if (node.Subtree is not null)
                {
                    pending.Push(node.Subtree);
                }
            }
        }

        return total;
    }
}
