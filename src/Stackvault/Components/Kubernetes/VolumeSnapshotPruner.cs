using Stackvault.Configuration;
using Stackvault.Maintenance.Retention;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// Applies a job's retention to the VolumeSnapshots a <c>kubernetes</c> component made (selected by their labels,
/// dated by creationTimestamp): the ones the policy does not keep are deleted. Never deletes the newest ready one.
/// </summary>
public sealed class VolumeSnapshotPruner(string kubectl = "kubectl")
{
    /// <summary>The names deleted (or, with <paramref name="dryRun"/>, that would be).</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(KubernetesComponent component, RetentionConfig retention, bool dryRun, CancellationToken cancellationToken)
    {
        var client = new Kubectl(component, kubectl);
        var json = await client.RunAsync(["get", "volumesnapshots", "-l", VolumeSnapshotRecord.Selector(component.Name), "-o", "json"], cancellationToken).ConfigureAwait(false);
        var candidates = KubernetesObjects.Parse(json)
            .Select(s => new RetentionCandidate(
                KubernetesObjects.Name(s),
                DateTimeOffset.Parse((string?)s["metadata"]?["creationTimestamp"] ?? "1970-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
                [],
                (bool?)s["status"]?["readyToUse"] == true))
            .ToList();
        var policy = new RetentionPolicy
        {
            Last = retention.KeepLast ?? 0,
            Hourly = retention.KeepHourly ?? 0,
            Daily = retention.KeepDaily ?? 0,
            Weekly = retention.KeepWeekly ?? 0,
            Monthly = retention.KeepMonthly ?? 0,
            Yearly = retention.KeepYearly ?? 0,
            Within = retention.KeepWithin is { } within ? new KeepDuration(0, 0, within.Days, within.Hours) : null,
        };
        var remove = RetentionEvaluator.Evaluate(candidates, policy, allowEmpty: false).Where(d => !d.Keep).Select(d => d.Candidate.Id).ToList();
        if (!dryRun)
        {
            foreach (var name in remove)
            {
                await client.RunAsync(["delete", "volumesnapshot", name, "--ignore-not-found"], cancellationToken).ConfigureAwait(false);
            }
        }

        return remove;
    }
}
