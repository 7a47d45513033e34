using Stackvault.Components;
using Stackvault.Components.Grafana;
using Stackvault.Components.Kubernetes;
using Stackvault.Components.Loki;
using Stackvault.Components.Postgres;
using Stackvault.Components.Prometheus;
using Stackvault.Components.Tempo;
using Stackvault.Errors;
using Stackvault.Jobs.Hooks;
using Stackvault.Locking;
using Stackvault.Repository.Model;
using Stackvault.Telemetry;

namespace Stackvault.Jobs;

/// <summary>
/// One run of a job, the same for <c>backup --job</c> and the daemon: open the repository, take a shared lock, run
/// the components (<see cref="JobRunner"/>), release the lock, then the aftercare seam (retention, tier copies,
/// notifications), then record the outcome in the status store. Every error becomes a failure outcome carrying the
/// exception; the caller decides whether to rethrow (the CLI does, for its exit code).
/// </summary>
public sealed partial class JobPipeline(TimeProvider time, StatusStore? store)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private static readonly HttpClient HookHttp = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public async ValueTask<JobOutcome> RunAsync(JobSelection selection, JobPipelineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(options);
        var start = time.GetUtcNow();
        var started = time.GetTimestamp();
        var jobName = selection.Job?.Name ?? string.Join(",", selection.Components.Select(c => c.Name));
        var repositoryName = selection.Repository?.Name ?? "(--repo)";
        using var timeout = options.Timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        JobOutcome outcome;
        try
        {
            await using var repository = await options.OpenRepository(selection, linked.Token).ConfigureAwait(false);
            JobResult result;
            IReadOnlyList<ComponentOutcome> components;
            await using (var repositoryLock = await AcquireAsync(repository, options, linked.Token).ConfigureAwait(false))
            {
                await repository.LoadIndexAsync(linked.Token).ConfigureAwait(false);
                var template = options.Template;
                var backupOptions = new Backup.BackupOptions
                {
                    Tags = template.Tags,
                    Excludes = template.Excludes,
                    Hostname = template.Hostname,
                    Force = template.Force,
                    Parent = options.ParentRef is null ? null : (await repository.FindSnapshotAsync(options.ParentRef, null, linked.Token).ConfigureAwait(false)).Id,
                };
                var runner = new JobRunner(repository, repositoryLock, Adapters(repository, template.Force), options.Progress, new HookRunner(HookHttp), options.Warn is { } warn ? m => warn("hook: " + m) : null);
                result = await runner.RunAsync(selection, backupOptions, linked.Token).ConfigureAwait(false);
                components = await ComponentsAsync(repository, result, linked.Token).ConfigureAwait(false);
            }

            var summary = result.Backup.Snapshot.Summary;
            outcome = new JobOutcome(
                jobName, repositoryName, result.IsPartial ? JobStatus.Partial : JobStatus.Success, start, time.GetElapsedTime(started).TotalSeconds,
                result.Backup.SnapshotId?.ToString(), summary?.TotalBytesProcessed ?? 0, summary?.DataAddedPacked ?? 0, components,
                result.IsPartial ? PartialReason(result) : null)
            { Trigger = options.Trigger, Result = result };

            outcome = await AftercareAsync(outcome, selection, options, repository, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var timedOut = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException;
            var error = timedOut ? new StackvaultException($"job {jobName}: timed out after {Configuration.DurationFormat.Format(options.Timeout!.Value)}", e) : e;
            var message = error is OperationCanceledException ? "interrupted" : error.Message;
            outcome = new JobOutcome(jobName, repositoryName, JobStatus.Failure, start, time.GetElapsedTime(started).TotalSeconds, null, 0, 0, [], message)
            { Trigger = options.Trigger, Exception = error };
        }

        await NotifyAsync(outcome, selection, options, cancellationToken).ConfigureAwait(false);
        Record(outcome, selection, options.Warn);
        return outcome;
    }

    private async ValueTask<RepositoryLock> AcquireAsync(Repository.Repository repository, JobPipelineOptions options, CancellationToken cancellationToken)
    {
        var manager = new LockManager(repository.Storage, new LockOptions { RetryFor = options.LockRetry }, time);
        return await manager.AcquireAsync(LockKind.Shared, "backup", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The engines' adapters; with --force they are offered no earlier snapshot to take unchanged content from.</summary>
    private IReadOnlyList<IComponentAdapter> Adapters(Repository.Repository repository, bool force) =>
        EngineCatalog.Adapters(new EngineServices(Http, time, repository.IsEncrypted, force ? null : new ComponentHistory(repository)));

    private static string PartialReason(JobResult result)
    {
        var reasons = result.Components.Where(c => c.Status != Repository.Model.ComponentStatus.Complete).Select(c => $"{c.Name}: {c.Status.Name()}: {c.Error}")
            .Concat(result.CleanupErrors.Select(e => "cleanup: " + e)).Concat(result.PostHookErrors).ToList();
        return reasons.Count == 0 ? "some items were unreadable" : string.Join("; ", reasons);
    }

    private void Record(JobOutcome outcome, JobSelection selection, Action<string>? warn)
    {
        if (store is null || selection.Job is null)
        {
            return;
        }

        try
        {
            store.RecordRun(outcome);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StackvaultException)
        {
            warn?.Invoke($"cannot record the run in {store.Path}: {e.Message}");
        }
    }
}
