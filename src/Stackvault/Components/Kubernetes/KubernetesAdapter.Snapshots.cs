using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Stackvault.Configuration;

namespace Stackvault.Components.Kubernetes;

/// <summary>VolumeSnapshots: created per PVC, labelled, awaited until readyToUse within the timeout.</summary>
public sealed partial class KubernetesAdapter
{
    private async Task CreateSnapshotsAsync(
        Kubectl client, KubernetesComponent k8s, KubernetesVolumeSnapshots snapshots, List<VolumeSnapshotRecord> made, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var suffix = "-sv-" + now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        foreach (var pvc in snapshots.Pvcs)
        {
            var name = (pvc.Length + suffix.Length > 253 ? pvc[..(253 - suffix.Length)] : pvc) + suffix;
            var manifest = new JsonObject
            {
                ["apiVersion"] = "snapshot.storage.k8s.io/v1",
                ["kind"] = "VolumeSnapshot",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = new JsonObject
                    {
                        [VolumeSnapshotRecord.ManagedByLabel] = "stackvault",
                        [VolumeSnapshotRecord.ComponentLabel] = k8s.Name,
                        [VolumeSnapshotRecord.PvcLabel] = pvc.Length > 63 ? pvc[..63].TrimEnd('-', '.') : pvc,
                    },
                },
                ["spec"] = new JsonObject
                {
                    ["volumeSnapshotClassName"] = snapshots.Class,
                    ["source"] = new JsonObject { ["persistentVolumeClaimName"] = pvc },
                },
            };
            var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
            await client.RunAsync(["create", "-f", "-"], cancellationToken, (stdin, ct) => stdin.WriteAsync(bytes, ct).AsTask()).ConfigureAwait(false);
            made.Add(new VolumeSnapshotRecord(name, pvc, snapshots.Class, now));
        }

        var timeout = snapshots.Timeout ?? k8s.Timeout;
        foreach (var record in made)
        {
            await client.RunAsync(
                ["wait", "volumesnapshot/" + record.Name, "--for=jsonpath={.status.readyToUse}=true", $"--timeout={(long)timeout.TotalSeconds}s"],
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the VolumeSnapshots of a run that failed half-way (best effort: the run's error is what matters).</summary>
    private static async Task DeleteSnapshotsAsync(Kubectl client, List<VolumeSnapshotRecord> made)
    {
        foreach (var record in made)
        {
            try
            {
                await client.RunAsync(["delete", "volumesnapshot", record.Name, "--ignore-not-found", "--wait=false"], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Errors.StackvaultException)
            {
                // Pruning removes it later: it carries the component's labels.
            }
        }
    }
}
