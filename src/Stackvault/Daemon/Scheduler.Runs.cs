using Stackvault.Backup;
using Stackvault.Jobs;
using Stackvault.Repository.Model;

namespace Stackvault.Daemon;

/// <summary>Starting runs: overlap bookkeeping, per-repository serialization, and the run itself by kind.</summary>
public sealed partial class Scheduler
{
    /// <summary>The tasks with a run going (or waiting for its repository), by <see cref="ScheduledTask.Key"/>.</summary>
    public IReadOnlyCollection<string> Running => [.. _running.Keys];

    private void Start(ScheduledTask task, string trigger)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[task.Key] = done.Task;
        _ = Task.Run(async () =>
        {
            var gate = _repositoryGates.GetOrAdd(task.RepositoryKey, _ => new SemaphoreSlim(1, 1));
            var entered = false;
            try
            {
                await gate.WaitAsync(_abort.Token).ConfigureAwait(false);
                entered = true;
                await ExecuteAsync(task, trigger, _abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                options.Log.Warn("run cancelled at shutdown", ("job", task.Job.Name), ("kind", task.Kind));
            }
            catch (Exception e)
            {
                options.Log.Error("run crashed", ("job", task.Job.Name), ("kind", task.Kind), ("error", e.Message));
            }
            finally
            {
                if (entered)
                {
                    // after every run, whatever its kind and result: the file that stays readable when Prometheus is down
                    Telemetry.FailsafeExport.TryWrite(options.Config, options.Store, options.Time.GetUtcNow(), message => options.Log.Warn(message, ("job", task.Job.Name)));
                    gate.Release();
                }

                _running.TryRemove(task.Key, out _);
                done.SetResult();
            }
        });
    }

    private async Task ExecuteAsync(ScheduledTask task, string trigger, CancellationToken cancellationToken)
    {
        var log = options.Log;
        var job = task.Job;
        log.Info("run started", ("job", job.Name), ("kind", task.Kind), ("trigger", trigger));
        switch (task.Kind)
        {
            case ScheduledTask.Backup:
                var selection = JobSelection.Resolve(options.Config, job.Name, []);
                var pipelineOptions = new JobPipelineOptions
                {
                    OpenRepository = options.OpenRepository,
                    LockRetry = options.LockRetry,
                    Timeout = job.Timeout,
                    Trigger = trigger,
                    Template = new BackupOptions { Hostname = options.Hostname },
                    Warn = message => log.Warn(message, ("job", job.Name)),
                    TierCopied = copy => Telemetry.AftercareLog.TierCopy(log, job.Name, copy),
                    Config = options.Config,
                    OpenConfiguredRepository = options.OpenConfiguredRepository,
                    Notifier = options.Notifier,
                };
                var outcome = options.RunJob is { } run
                    ? await run(selection, pipelineOptions, cancellationToken).ConfigureAwait(false)
                    : await new JobPipeline(options.Time, options.Store).RunAsync(selection, pipelineOptions, cancellationToken).ConfigureAwait(false);
                var severity = outcome.Status switch { JobStatus.Success => Telemetry.LogSeverity.Info, JobStatus.Partial => Telemetry.LogSeverity.Warning, _ => Telemetry.LogSeverity.Error };
                log.Write(severity, "run finished", ("job", job.Name), ("kind", task.Kind), ("status", outcome.Status.Name()), ("duration_seconds", outcome.DurationSeconds),
                    ("snapshot", outcome.SnapshotId), ("added_bytes", outcome.AddedBytes), ("error", outcome.Error));
                Telemetry.AftercareLog.Retention(log, outcome);
                foreach (var component in outcome.Components.Where(c => c.Status != Repository.Model.ComponentStatus.Complete || log.Enabled(Telemetry.LogSeverity.Verbose)))
                {
                    log.Write(component.Status == Repository.Model.ComponentStatus.Complete ? Telemetry.LogSeverity.Verbose : Telemetry.LogSeverity.Warning, "component",
                        ("job", job.Name), ("component", component.Name), ("status", component.Status.Name()), ("duration_seconds", component.DurationSeconds), ("error", component.Error));
                }

                break;
            case ScheduledTask.Verify:
                var verify = options.Verify is { } verifier
                    ? await verifier(job, cancellationToken).ConfigureAwait(false)
                    : await new JobVerification(options.Time, options.Store).RunAsync(
                        job, ct => options.OpenRepository(JobSelection.Resolve(options.Config, job.Name, []), ct), options.LockRetry, cancellationToken).ConfigureAwait(false);
                log.Write(verify.Ok ? Telemetry.LogSeverity.Info : Telemetry.LogSeverity.Error, "run finished", ("job", job.Name), ("kind", task.Kind),
                    ("status", verify.Ok ? "ok" : "failed"), ("subset", verify.Subset), ("duration_seconds", verify.DurationSeconds), ("message", verify.Message));
                if (!verify.Ok)
                {
                    await NotifyCheckFailedAsync(job, ScheduledTask.Verify, verify.At, verify.DurationSeconds, verify.Message).ConfigureAwait(false);
                }

                break;
            default:
                if (options.Drill is { } drill)
                {
                    var since = options.Time.GetUtcNow();
                    await drill(job, cancellationToken).ConfigureAwait(false);
                    log.Info("run finished", ("job", job.Name), ("kind", task.Kind));
                    await NotifyDrillIfFailedAsync(job, since).ConfigureAwait(false);
                }
                else
                {
                    log.Warn("drills are not available in this build: skipped", ("job", job.Name));
                }

                break;
        }
    }
}
