using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json.Nodes;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// Restore of a PVC from a VolumeSnapshot (docs/kubernetes.md). A Deployment gets a new PVC whose <c>dataSource</c> is
/// the snapshot, awaited until Bound (unless its StorageClass binds on first consumer), then is scaled to 0, patched
/// to claim it, and scaled back. A StatefulSet's template PVC cannot be renamed, so its old PV is set to reclaim
/// policy Retain (kept, with the old data), the PVC is deleted while the set is at 0 and re-created under the same name
/// from the snapshot. Planning only reads (<c>kubectl get</c>); the scale-back always runs once scaling began.
/// </summary>
public sealed partial class KubernetesRestorer
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Reads the snapshot, its PVC (which may be gone: then the snapshot's <c>restoreSize</c> and
    /// <paramref name="storageClassName"/>), StorageClass and the <c>scale:</c> workloads, and plans every step.
    /// </summary>
    public async Task<VolumeSnapshotRestorePlan> PlanVolumeSnapshotRestoreAsync(string snapshot, string? pvcName, string? storageClassName, CancellationToken cancellationToken)
    {
        var snap = KubernetesObjects.Parse(await _client.RunAsync(["get", "volumesnapshot", snapshot, "-o", "json"], cancellationToken).ConfigureAwait(false))[0];
        var source = (string?)snap["spec"]?["source"]?["persistentVolumeClaimName"]
            ?? throw new UsageException($"VolumeSnapshot {snapshot} has no spec.source.persistentVolumeClaimName: it was not taken from a PVC");
        if ((bool?)snap["status"]?["readyToUse"] != true)
        {
            throw new StackvaultException($"VolumeSnapshot {snapshot} is not readyToUse: a PVC cannot be restored from it yet");
        }

        var pvcJson = await _client.RunAsync(["get", "pvc", source, "-o", "json", "--ignore-not-found"], cancellationToken).ConfigureAwait(false);
        var pvc = string.IsNullOrWhiteSpace(pvcJson) ? null : KubernetesObjects.Parse(pvcJson)[0];
        var storageClass = storageClassName ?? (string?)pvc?["spec"]?["storageClassName"]
            ?? throw new UsageException(
                pvc is null ? $"PVC {source} is gone: give the storage class to restore into with --storage-class" : $"PVC {source} has no storageClassName: give one with --storage-class");
        var size = (string?)pvc?["spec"]?["resources"]?["requests"]?["storage"] ?? (string?)snap["status"]?["restoreSize"]
            ?? throw new UsageException($"neither PVC {source} nor VolumeSnapshot {snapshot} says a size");
        // Not the collection expression ["ReadWriteOnce"]: it compiles to JsonArray.Add<string>, which is not trim/AOT-safe.
        var accessModes = pvc?["spec"]?["accessModes"]?.DeepClone() as JsonArray ?? new JsonArray((JsonNode)"ReadWriteOnce");
        var volume = (string?)pvc?["spec"]?["volumeName"];
        var sc = KubernetesObjects.Parse(await _client.RunAsync(["get", "storageclass", storageClass, "-o", "json"], cancellationToken).ConfigureAwait(false))[0];
        var firstConsumer = (string?)sc["volumeBindingMode"] == "WaitForFirstConsumer";

        var scaleDown = new List<KubectlStep>();
        var podsGone = new List<KubectlStep>();
        var scaleUp = new List<KubectlStep>();
        var ready = new List<KubectlStep>();
        (KubernetesObjectRef Ref, JsonObject Item)? consumer = null;
        foreach (var workload in component.Scale.Where(w => w.Name is not null))
        {
            var item = KubernetesObjects.Parse(await _client.RunAsync(["get", workload.KubectlType, workload.Name!, "-o", "json"], cancellationToken).ConfigureAwait(false))[0];
            var replicas = ((int?)item["spec"]?["replicas"] ?? 1).ToString(CultureInfo.InvariantCulture);
            var type = $"{workload.KubectlType}/{workload.Name}";
            scaleDown.Add(new(RestorePhase.ScaleDown, $"scale {workload} from {replicas} to 0", ["scale", type, "--replicas=0"]));
            if (item["spec"]?["selector"]?["matchLabels"] is JsonObject { Count: > 0 } labels)
            {
                podsGone.Add(new(RestorePhase.ScaleDown, $"wait for the pods of {workload} to go", ["wait", "--for=delete", "pod", "-l", string.Join(',', labels.Select(l => $"{l.Key}={(string?)l.Value}")), Timeout]));
            }

            scaleUp.Insert(0, new(RestorePhase.ScaleUp, $"scale {workload} back to {replicas} (always, also after a failure)", ["scale", type, "--replicas=" + replicas]));
            ready.Insert(0, new(RestorePhase.ScaleUp, $"wait for {workload} to be ready", ["rollout", "status", type, Timeout]));
            consumer ??= Consumes(workload, item, source) ? (workload, item) : null;
        }

        scaleDown.AddRange(podsGone);
        scaleUp.AddRange(ready);
        var (owner, ownerItem) = consumer
            ?? throw new UsageException($"{component.Name}: no workload under scale: uses PVC {source}; list the Deployment or StatefulSet that mounts it");
        var statefulSet = owner.Kind == "StatefulSet";
        if (statefulSet && pvcName is not null && pvcName != source)
        {
            throw new UsageException($"--pvc {pvcName}: {owner} claims {source} through its volumeClaimTemplates, so the restored PVC keeps that name");
        }

        var restored = statefulSet ? source : pvcName ?? Suffixed(source, "-restored-" + Time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var manifest = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "PersistentVolumeClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = restored,
                ["labels"] = new JsonObject { [VolumeSnapshotRecord.ManagedByLabel] = "stackvault", [VolumeSnapshotRecord.ComponentLabel] = component.Name },
            },
            ["spec"] = new JsonObject
            {
                ["storageClassName"] = storageClass,
                ["accessModes"] = accessModes,
                ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = size } },
                ["dataSource"] = new JsonObject { ["apiGroup"] = "snapshot.storage.k8s.io", ["kind"] = "VolumeSnapshot", ["name"] = snapshot },
            },
        }.ToJsonString();
        var phase = statefulSet ? RestorePhase.Swap : RestorePhase.Prepare;
        var create = new KubectlStep(phase, $"create PVC {restored} from VolumeSnapshot {snapshot} ({storageClass}, {size})", ["create", "-f", "-"], manifest);
        var bind = firstConsumer
            ? new KubectlStep(phase, $"StorageClass {storageClass} is WaitForFirstConsumer: {restored} binds when the scaled-up pod starts, so it is not awaited here", [])
            : new KubectlStep(phase, $"wait for {restored} to be Bound", ["wait", "pvc/" + restored, "--for=jsonpath={.status.phase}=Bound", Timeout]);
        var steps = new List<KubectlStep>();
        if (statefulSet)
        {
            steps.AddRange(scaleDown);
            if (volume is not null)
            {
                steps.Add(new(RestorePhase.Swap, $"keep the old volume {volume} (reclaim policy Retain) when its PVC is deleted", ["patch", "pv", volume, "-p", """{"spec":{"persistentVolumeReclaimPolicy":"Retain"}}"""]));
            }

            if (pvc is not null)
            {
                steps.Add(new(RestorePhase.Swap, $"delete PVC {source}: {owner} re-claims it under this name", ["delete", "pvc", source, "--wait=true", Timeout]));
            }
            steps.Add(create);
            steps.Add(bind);
        }
        else
        {
            var index = (ownerItem["spec"]?["template"]?["spec"]?["volumes"] as JsonArray ?? []).Select((v, i) => ((string?)v?["persistentVolumeClaim"]?["claimName"], i)).First(v => v.Item1 == source).i;
            steps.Add(create);
            steps.Add(bind);
            steps.AddRange(scaleDown);
            var patch = $$"""[{"op":"replace","path":"/spec/template/spec/volumes/{{index}}/persistentVolumeClaim/claimName","value":"{{restored}}"}]""";
            steps.Add(new(RestorePhase.Swap, $"point {owner} at {restored} (was {source}, which is kept)", ["patch", $"{owner.KubectlType}/{owner.Name}", "--type=json", "-p", patch]));
        }

        steps.AddRange(scaleUp);
        return new(snapshot, source, restored, owner.ToString(), firstConsumer, statefulSet ? volume : null, steps);
    }

    /// <summary>Runs a plan: Prepare steps, scale down (recorded), Swap steps, then always the scale-back.</summary>
    public async Task RestoreVolumeSnapshotAsync(VolumeSnapshotRestorePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var step in plan.Steps.Where(s => s.Phase == RestorePhase.Prepare))
        {
            await RunStepAsync(step, cancellationToken).ConfigureAwait(false);
        }

        var recorded = new List<(KubernetesObjectRef Workload, int Replicas)>();
        Exception? failure = null;
        try
        {
            await ScaleDownAsync(recorded, cancellationToken).ConfigureAwait(false);
            foreach (var step in plan.Steps.Where(s => s.Phase == RestorePhase.Swap))
            {
                await RunStepAsync(step, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StackvaultException or IOException or OperationCanceledException)
        {
            failure = e;
        }

        var scaleErrors = await ScaleBackAsync(recorded).ConfigureAwait(false);
        var kept = plan.RetainedVolume is null ? string.Empty : $" (the old data is on PV {plan.RetainedVolume}, kept with reclaim policy Retain)";
        if (failure is not null)
        {
            if (scaleErrors.Count == 0 && kept.Length == 0)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw new StackvaultException(
                $"{component.Name}: restore of {plan.RestoredPvc} from {plan.VolumeSnapshot} failed: {failure.Message}{kept}"
                + (scaleErrors.Count == 0 ? "; scaled back" : "; scaling back also failed: " + string.Join("; ", scaleErrors)), failure);
        }

        if (scaleErrors.Count > 0)
        {
            throw new StackvaultException($"{component.Name}: {plan.RestoredPvc} restored, but scaling back failed: {string.Join("; ", scaleErrors)}");
        }
    }

    /// <summary>The plan as shell commands, one block per step.</summary>
    public string Render(VolumeSnapshotRestorePlan plan) => string.Join("\n", (plan ?? throw new ArgumentNullException(nameof(plan))).Steps.Select(s => s.Render(_client)));

    private async Task RunStepAsync(KubectlStep step, CancellationToken cancellationToken)
    {
        progress($"{component.Name}: {step.Description}");
        if (step.Arguments.Count == 0)
        {
            return;
        }

        var bytes = step.Manifest is null ? null : Encoding.UTF8.GetBytes(step.Manifest);
        await _client.RunAsync(step.Arguments, cancellationToken, bytes is null ? null : (stdin, ct) => stdin.WriteAsync(bytes, ct).AsTask()).ConfigureAwait(false);
    }

    private static bool Consumes(KubernetesObjectRef workload, JsonObject item, string pvc)
    {
        if (workload.Kind == "StatefulSet")
        {
            return (item["spec"]?["volumeClaimTemplates"] as JsonArray ?? [])
                .Select(t => (string?)t?["metadata"]?["name"])
                .Any(t => t is not null && pvc.StartsWith($"{t}-{workload.Name}-", StringComparison.Ordinal)
                    && int.TryParse(pvc.AsSpan(t.Length + workload.Name!.Length + 2), NumberStyles.None, CultureInfo.InvariantCulture, out _));
        }

        return (item["spec"]?["template"]?["spec"]?["volumes"] as JsonArray ?? []).Any(v => (string?)v?["persistentVolumeClaim"]?["claimName"] == pvc);
    }

    private static string Suffixed(string name, string suffix) => (name.Length + suffix.Length > 253 ? name[..(253 - suffix.Length)] : name) + suffix;
}
