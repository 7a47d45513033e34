using System.Collections.Concurrent;
using Stackvault.Jobs.Scheduling;

namespace Stackvault.Daemon;

/// <summary>
/// The daemon's loop: for every scheduled task (a job's backup, verify, drill) compute the next due time, sleep
/// (in slices of at most <see cref="DaemonOptions.MaxSleep"/>, on the injected clock), run. One run per task at a
/// time: a due time that finds the previous run still going is logged and counted as missed; so are due times that
/// passed while the process was down or asleep (one catch-up run follows). Runs on one repository are serialized.
/// On stop, no new runs start; running ones get <see cref="DaemonOptions.ShutdownGrace"/>, then are cancelled.
/// </summary>
public sealed partial class Scheduler(DaemonOptions options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _repositoryGates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _abort = new();

    public IReadOnlyList<ScheduledTask> Tasks { get; } = ScheduledTask.From(options.Config);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled, then winds down; returns when no run is left.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var log = options.Log;
        log.Info("daemon started", ("jobs", options.Config.Jobs.Count), ("scheduled", Tasks.Count), ("state", options.Store.Path));
        foreach (var job in options.Config.Jobs.Values.Where(j => j.Schedule is null))
        {
            log.Info("job has no schedule: run it with backup --job", ("job", job.Name));
        }

        await Task.WhenAll(Tasks.Select(task => LoopAsync(task, stopping))).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, options.Time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await WindDownAsync().ConfigureAwait(false);
        log.Info("daemon stopped");
    }

    private async Task LoopAsync(ScheduledTask task, CancellationToken stopping)
    {
        var time = options.Time;
        var isBackup = task.Kind == ScheduledTask.Backup;
        DateTimeOffset? last = null;
        Safely("read the schedule position", () => last = isBackup ? options.Store.Load().Jobs.GetValueOrDefault(task.Job.Name)?.LastDue : null);
        var due = task.Schedule.NextAfter(last ?? time.GetUtcNow());
        try
        {
            while (due is { } current && !stopping.IsCancellationRequested)
            {
                var jitter = Jitter.Draw(options.Random, task.Job.Jitter);
                var runAt = current + jitter;
                if (isBackup)
                {
                    Safely("record the next run", () => options.Store.RecordSchedule(task.Job.Name, null, runAt));
                }

                options.Log.Debug("next run", ("job", task.Job.Name), ("kind", task.Kind), ("at", runAt));
                await SleepUntilAsync(runAt, stopping).ConfigureAwait(false);
                var now = time.GetUtcNow();
                var handled = current;
                var passed = task.Schedule.CountDue(current, now - jitter);
                if (passed > 0)
                {
                    for (var i = 0; i < passed; i++)
                    {
                        handled = task.Schedule.NextAfter(handled) ?? handled;
                    }

                    Missed(task, passed, handled, "the process was down or asleep past the due time");
                }

                if (_running.ContainsKey(task.Key))
                {
                    Missed(task, 1, handled, "the previous run is still going");
                }
                else
                {
                    Start(task, passed > 0 || now - runAt > options.MaxSleep * 2 ? "catch-up" : "schedule");
                }

                due = task.Schedule.NextAfter(handled);
                if (isBackup)
                {
                    Safely("record the schedule position", () => options.Store.RecordSchedule(task.Job.Name, handled, due));
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        if (due is null)
        {
            options.Log.Warn("schedule has no further due time", ("job", task.Job.Name), ("kind", task.Kind), ("schedule", task.Schedule.Text));
        }
    }

    private async Task SleepUntilAsync(DateTimeOffset target, CancellationToken stopping)
    {
        while (true)
        {
            var left = target - options.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < options.MaxSleep ? left : options.MaxSleep, options.Time, stopping).ConfigureAwait(false);
        }
    }

    private void Missed(ScheduledTask task, int count, DateTimeOffset due, string reason)
    {
        options.Log.Warn("missed run", ("job", task.Job.Name), ("kind", task.Kind), ("due", due), ("count", count), ("reason", reason));
        if (task.Kind == ScheduledTask.Backup)
        {
            Safely("record a missed run", () => options.Store.RecordMissed(task.Job.Name, count, due));
        }
    }

    /// <summary>A status file that cannot be read or written is logged; the schedule goes on.</summary>
    private void Safely(string what, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Errors.StackvaultException)
        {
            options.Log.Error($"cannot {what} in the status file", ("path", options.Store.Path), ("error", e.Message));
        }
    }

    private async Task WindDownAsync()
    {
        var pending = _running.Values.ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        options.Log.Info("stopping: waiting for running jobs", ("running", pending.Length), ("grace_seconds", options.ShutdownGrace.TotalSeconds));
        var all = Task.WhenAll(pending);
        using var graceOver = new CancellationTokenSource();
        var grace = Task.Delay(options.ShutdownGrace, options.Time, graceOver.Token);
        if (await Task.WhenAny(all, grace).ConfigureAwait(false) != all)
        {
            options.Log.Warn("grace period over: cancelling running jobs (their locks are released)");
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        await graceOver.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }
}
