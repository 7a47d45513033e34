using Stackvault.Notifications;
using Stackvault.Repository.Model;

namespace Stackvault.Jobs;

/// <summary>The last step of a run: the notification targets.</summary>
public sealed partial class JobPipeline
{
    /// <summary>
    /// Tells the configured notification targets about every run (each target's <c>on</c> and <c>jobs</c> filters
    /// decide); a target that fails is only warned about, never a change of the run's result.
    /// </summary>
    private static async ValueTask NotifyAsync(JobOutcome outcome, JobSelection selection, JobPipelineOptions options, CancellationToken cancellationToken)
    {
        if (options.Notifier is not { } notifier || selection.Job is null)
        {
            return;
        }

        var status = outcome.Status switch
        {
            JobStatus.Success => NotificationStatus.Success,
            JobStatus.Partial => NotificationStatus.Partial,
            _ => NotificationStatus.Failure,
        };
        var components = outcome.Components.Select(c => new ComponentNotification(
            c.Name,
            c.Status switch { ComponentStatus.Complete => NotificationStatus.Success, ComponentStatus.Partial => NotificationStatus.Partial, _ => NotificationStatus.Failure },
            c.Error)).ToList();
        var notification = new JobNotification(
            outcome.Job, status, outcome.SnapshotId, outcome.Start, TimeSpan.FromSeconds(outcome.DurationSeconds), Environment.MachineName, outcome.Repository, components, outcome.Error);
        try
        {
            foreach (var result in await notifier.NotifyAsync(notification, CancellationToken.None).ConfigureAwait(false))
            {
                if (!result.Ok)
                {
                    options.Warn?.Invoke($"notification {result.Target} ({result.Endpoint}): {result.Error}");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // interrupted runs still notify; a cancelled notifier is only a lost message
        }
    }
}
