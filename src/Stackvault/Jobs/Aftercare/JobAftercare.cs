using Stackvault.Configuration;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Maintenance;
using Stackvault.Maintenance.Retention;
using Stackvault.Storage;

namespace Stackvault.Jobs.Aftercare;

/// <summary>
/// What follows a job run (docs/tiers.md): (1) the job's <c>retention</c> in its repository: forget, then prune, under
/// the exclusive lock, only after a complete run, never removing the newest complete snapshot of the job nor the
/// run's own; (2) a copy of every snapshot of the job each <c>copy_to</c> tier lacks (catch-up, not only the newest),
/// under a shared lock on the source and an append lock on the tier; a local tier that is not present (the external
/// drive is not mounted, the repository is not initialised there) is skipped with a warning; (3) the same retention in
/// every tier that was copied to, again only after a complete run: each repository's own retention where it has one
/// (<see cref="TierRetention"/>), else the job's.
/// </summary>
/// <remarks>
/// The caller must have released the job run's own lock on the repository before calling: retention needs the
/// exclusive lock. If another process holds a lock, retention is skipped (and reported) rather than waited for
/// beyond <see cref="LockOptions.RetryFor"/>. The source repository's master index is cleared and reloaded here
/// (after a prune and before a copy), so it matches the repository when RunAsync returns.
/// </remarks>
public sealed partial class JobAftercare
{
    private readonly LockOptions _lockOptions;

    /// <param name="lockOptions">Lock lease and retry (default: retry a conflicting lock for one minute).</param>
    /// <param name="pruneOptions">How retention prunes (default: <see cref="PruneOptions"/> defaults).</param>
    public JobAftercare(LockOptions? lockOptions = null, PruneOptions? pruneOptions = null)
    {
        _lockOptions = lockOptions ?? new LockOptions { RetryFor = TimeSpan.FromMinutes(1) };
        _lockOptions.Validate();
        PruneOptions = pruneOptions ?? new PruneOptions();
        PruneOptions.Validate();
    }

    public PruneOptions PruneOptions { get; }

    /// <summary>Runs retention in <paramref name="source"/>, then copies to each tier of <c>job.CopyTo</c> and applies retention there.</summary>
    /// <param name="config">The configuration the job comes from (its repositories name the tiers).</param>
    /// <param name="job">The job that just ran.</param>
    /// <param name="source">The job's repository, open (its lock released).</param>
    /// <param name="run">The run's snapshot and whether the run was complete.</param>
    /// <param name="openRepository">Opens a configured repository (a tier); throws <see cref="RepositoryNotFoundException"/> when there is none.</param>
    /// <param name="time">The clock for locks.</param>
    /// <param name="warn">Receives one line per skipped or failed tier and per skipped retention.</param>
    /// <param name="cancellationToken">Stops between and inside steps; an interrupted copy writes no snapshot.</param>
    public async ValueTask<AftercareResult> RunAsync(
        StackvaultConfig config,
        JobConfig job,
        Repository.Repository source,
        JobRunOutcome run,
        Func<RepositoryConfigEntry, CancellationToken, ValueTask<Repository.Repository>> openRepository,
        TimeProvider time,
        Action<string> warn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(openRepository);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(warn);
        var retention = await RetainAsync(source, job, TierRetention.For(config, job, job.Repository), run, time, warn, $"job {job.Name}: retention", cancellationToken).ConfigureAwait(false);
        var tiers = new List<TierResult>();
        foreach (var name in job.CopyTo)
        {
            tiers.Add(await CopyToTierAsync(config, job, name, source, run, openRepository, time, warn, cancellationToken).ConfigureAwait(false));
        }

        return new AftercareResult(retention, tiers);
    }

    /// <summary>
    /// The forget step of a job's retention in one repository, under <paramref name="exclusive"/>: the decisions for
    /// every snapshot of the job (<see cref="JobRetention.Plan"/>: the newest complete snapshot of each group is never
    /// removed), and unless <paramref name="dryRun"/> the removed snapshots deleted. <c>forget --job</c> shares it.
    /// </summary>
    public static async ValueTask<IReadOnlyList<ForgetGroup>> ForgetAsync(
        Repository.Repository repository, RepositoryLock exclusive, string jobName, RetentionPolicy policy, string? protect, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(exclusive);
        var snapshots = await repository.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        var groups = JobRetention.Plan(snapshots, jobName, policy, protect);
        if (!dryRun)
        {
            foreach (var id in groups.SelectMany(g => g.Removed).Select(d => d.Candidate.Id))
            {
                exclusive.ThrowIfLost();
                await repository.Storage.DeleteAsync(new ObjectHandle(ObjectKind.Snapshot, id), cancellationToken).ConfigureAwait(false);
            }
        }

        return groups;
    }

    /// <summary>Prune after a forget, leaving the repository's master index matching the new index files.</summary>
    public static async ValueTask<PruneResult> PruneAsync(Repository.Repository repository, RepositoryLock exclusive, PruneOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        repository.Index.Clear(); // prune fills the master index from the index files itself
        var pruned = await new PruneRunner(repository, exclusive, options).RunAsync(cancellationToken).ConfigureAwait(false);
        await repository.ReloadIndexAsync(cancellationToken).ConfigureAwait(false); // prune replaced index files and packs
        return pruned;
    }

    /// <summary>Forget and prune of the job's snapshots in one repository, under its exclusive lock; a skip says why.</summary>
    private async ValueTask<RetentionResult> RetainAsync(
        Repository.Repository repository, JobConfig job, TierRetention tierRetention, JobRunOutcome run, TimeProvider time, Action<string> warn, string what, CancellationToken cancellationToken)
    {
        if (tierRetention.Retention is not { } retentionConfig)
        {
            return RetentionResult.Skip("no retention configured");
        }

        if (!run.AllowsRetention)
        {
            return RetentionResult.Skip("the run was not complete: retention runs only after a complete run");
        }

        var policy = JobRetention.PolicyOf(retentionConfig);
        if (policy.IsEmpty)
        {
            return RetentionResult.Skip("the retention policy keeps nothing: refusing to apply it");
        }

        RepositoryLock exclusive;
        try
        {
            exclusive = await new LockManager(repository.Storage, _lockOptions, time).AcquireAsync(LockKind.Exclusive, "forget", cancellationToken).ConfigureAwait(false);
        }
        catch (RepositoryLockedException e)
        {
            warn($"{what} skipped: {e.Message}");
            return RetentionResult.Skip(e.Message);
        }

        await using (exclusive.ConfigureAwait(false))
        {
            var groups = await ForgetAsync(repository, exclusive, job.Name, policy, run.SnapshotId!.Value.ToString(), dryRun: false, cancellationToken).ConfigureAwait(false);
            var removed = groups.SelectMany(g => g.Removed).Select(d => d.Candidate.Id).ToList();
            PruneResult? pruned = null;
            if (removed.Count > 0)
            {
                pruned = await PruneAsync(repository, exclusive, PruneOptions, cancellationToken).ConfigureAwait(false);
            }

            var kept = groups.SelectMany(g => g.Kept).ToList();
            return new RetentionResult(removed, [.. kept.Select(d => d.Candidate.Id)], pruned?.PacksDeleted ?? 0, pruned?.BytesDeleted ?? 0, null)
            {
                Policy = tierRetention.ToString(),
                KeptDecisions = kept,
            };
        }
    }
}
