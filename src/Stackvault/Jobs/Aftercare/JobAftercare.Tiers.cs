using Stackvault.Configuration;
using Stackvault.Copy;
using Stackvault.Errors;
using Stackvault.Locking;
using Stackvault.Storage;
using Stackvault.Storage.Local;

namespace Stackvault.Jobs.Aftercare;

public sealed partial class JobAftercare
{
    private async ValueTask<TierResult> CopyToTierAsync(
        StackvaultConfig config,
        JobConfig job,
        string name,
        Repository.Repository source,
        JobRunOutcome run,
        Func<RepositoryConfigEntry, CancellationToken, ValueTask<Repository.Repository>> openRepository,
        TimeProvider time,
        Action<string> warn,
        CancellationToken cancellationToken)
    {
        TierResult Fail(string message, int copied = 0, int? lag = null)
        {
            warn($"job {job.Name}: copy to {name} failed: {message}");
            return new TierResult(name, TierResult.Failure, copied, lag, message, null);
        }

        if (!config.Repositories.TryGetValue(name, out var entry))
        {
            return Fail($"no repository named '{name}' in {config.SourceName}");
        }

        var local = IsLocal(entry.Url);
        Repository.Repository tier;
        try
        {
            tier = await openRepository(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (local && e is RepositoryNotFoundException or DirectoryNotFoundException)
        {
            var message = $"{entry.Url} is not present (drive not mounted, directory missing, or no repository initialised there); the next run catches up";
            warn($"job {job.Name}: copy to {name} skipped: {message}");
            return new TierResult(name, TierResult.Skipped, 0, null, message, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Fail(e.Message);
        }

        await using (tier.ConfigureAwait(false))
        {
            CopyRunner? runner = null;
            try
            {
                var locks = new LockManager(source.Storage, _lockOptions, time);
                await using var sourceLock = await locks.AcquireAsync(LockKind.Shared, "copy", cancellationToken).ConfigureAwait(false);
                await using var tierLock = await new LockManager(tier.Storage, _lockOptions, time).AcquireAsync(LockKind.Shared, "copy", cancellationToken).ConfigureAwait(false);
                runner = new CopyRunner(source, sourceLock, tier, tierLock);
                var copy = await runner.RunAsync(new CopySelection { Tags = [JobRetention.JobTag(job.Name)] }, cancellationToken).ConfigureAwait(false);
                var copied = copy.SnapshotsCopied;
                await tierLock.DisposeAsync().ConfigureAwait(false);
                await sourceLock.DisposeAsync().ConfigureAwait(false);
                var retention = await RetainAsync(tier, job, TierRetention.For(config, job, name), run, time, warn, $"job {job.Name}: retention in {name}", cancellationToken).ConfigureAwait(false);
                var tag = JobRetention.JobTag(job.Name);
                var newest = (await tier.ListSnapshotsAsync(cancellationToken).ConfigureAwait(false))
                    .Where(s => s.Snapshot.Tags.Contains(tag, StringComparer.Ordinal) && s.Snapshot.Status == Repository.Model.SnapshotStatus.Complete)
                    .OrderByDescending(s => s.Snapshot.Time).Select(s => new SnapshotRef(s.Id.ToString(), s.Snapshot.Time)).FirstOrDefault();
                return new TierResult(name, TierResult.Success, copied, 0, null, retention) { Newest = newest };
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var copied = runner?.Done.Count(s => s.Status == CopiedSnapshot.Copied) ?? 0;
                return Fail(e.Message, copied, runner?.Remaining is >= 0 and var left ? left : null);
            }
        }
    }

    /// <summary>True for a repository on the local file system (a path, <c>local:</c>, <c>file:</c>), the kind an external drive holds.</summary>
    private static bool IsLocal(string url)
    {
        try
        {
            var storage = StorageFactory.Open(url, _ => null);
            var local = storage is LocalStorage;
            storage.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return local;
        }
        catch (StackvaultException)
        {
            return false;
        }
    }
}
