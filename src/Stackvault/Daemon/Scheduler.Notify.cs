using Stackvault.Configuration;
using Stackvault.Notifications;

namespace Stackvault.Daemon;

/// <summary>
/// Scheduled checks that fail are told to the notification targets like a failed backup: a corrupt repository found
/// by the weekly verify, or a drill that could not restore, must not wait for someone to look at a dashboard. Only
/// failures are sent (a passing check must not resolve an alert about the backup itself).
/// </summary>
public sealed partial class Scheduler
{
    private async ValueTask NotifyCheckFailedAsync(JobConfig job, string kind, DateTimeOffset at, double durationSeconds, string? message)
    {
        if (options.Notifier is not { } notifier)
        {
            return;
        }

        var notification = new JobNotification(
            job.Name, NotificationStatus.Failure, null, at, TimeSpan.FromSeconds(Math.Max(0, durationSeconds)), options.Hostname, job.Repository, [],
            $"scheduled {kind} failed: {message ?? "no details"}");
        foreach (var result in await notifier.NotifyAsync(notification, CancellationToken.None).ConfigureAwait(false))
        {
            if (!result.Ok)
            {
                options.Log.Warn("notification failed", ("job", job.Name), ("target", result.Target), ("error", result.Error));
            }
        }
    }

    /// <summary>The drill runner records its result in the status store; a failure recorded since <paramref name="since"/> is notified.</summary>
    private async ValueTask NotifyDrillIfFailedAsync(JobConfig job, DateTimeOffset since)
    {
        if (options.Store.Load().Jobs.GetValueOrDefault(job.Name)?.Drill is { Ok: false } drill && drill.At >= since)
        {
            await NotifyCheckFailedAsync(job, "drill", drill.At, drill.RtoSeconds, "the restore drill did not pass (stackvault status, the daemon's log)").ConfigureAwait(false);
        }
    }
}
