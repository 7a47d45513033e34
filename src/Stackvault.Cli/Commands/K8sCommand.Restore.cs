using System.CommandLine;
using Stackvault.Cli.Output;
using Stackvault.Components.Kubernetes;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault k8s restore</c> and <c>stackvault k8s prune-snapshots</c>.</summary>
internal static partial class K8sCommand
{
    private static Command Restore()
    {
        var component = new Option<string>("--component") { Description = "The kubernetes component of the config", Required = true };
        var from = new Option<string?>("--from") { Description = "The component's restored directory (restore SNAPSHOT --component NAME --target DIR)" };
        var volumeSnapshot = new Option<string?>("--volume-snapshot") { Description = "Restore a PVC from this VolumeSnapshot instead: new PVC with it as dataSource, workload scaled down, pointed at it, scaled back" };
        var pvc = new Option<string?>("--pvc") { Description = "With --volume-snapshot: the new PVC's name (Deployments; default ORIGINAL-restored-TIME)" };
        var storageClass = new Option<string?>("--storage-class") { Description = "With --volume-snapshot: the new PVC's StorageClass (default: the original PVC's; needed when that PVC is gone)" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "With --volume-snapshot: print each step's kubectl command and run none (only reads the cluster)" };
        var yes = new Option<bool>("--yes", "-y") { Description = "With --volume-snapshot: confirm the restore (see it first with --dry-run)" };
        var objectsOnly = new Option<bool>("--objects-only") { Description = "Only apply the saved objects (config-only recovery)" };
        var dataOnly = new Option<bool>("--data-only") { Description = "Only restore pod data (scale down, stream, scale back)" };
        var clean = new Option<bool>("--clean") { Description = "Empty each pod data directory before unpacking into it" };
        var noRestart = new Option<bool>("--no-restart") { Description = "Do not rollout-restart the workloads using restored ConfigMaps/Secrets" };
        var rolloutTimeout = DurationOption.Create("--rollout-timeout", "How long each restarted workload may take to be ready (kubectl rollout status): 5m, 90s (default 5m)", TimeSpan.FromMinutes(5));
        var helperImage = new Option<string>("--helper-image") { Description = "Image of the helper pod for pod_data entries with pvc (needs tar, find, sleep)", DefaultValueFactory = _ => "busybox:1.36" };
        var command = new Command("restore", "Restore a kubernetes component: apply its objects (server dry run first) and restart their users, stream its pod data back; or restore a PVC from a VolumeSnapshot")
            { component, from, volumeSnapshot, pvc, storageClass, dryRun, yes, objectsOnly, dataOnly, clean, noRestart, rolloutTimeout, helperImage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Program.Output(parse);
            var (config, path, _) = LoadConfig(parse);
            var k8s = KubernetesComponentNamed(config, path, parse.GetValue(component)!);
            var restorer = new KubernetesRestorer(k8s, output.Info) { HelperImage = parse.GetValue(helperImage)! };
            if (parse.GetValue(volumeSnapshot) is { } snapshot)
            {
                if (parse.GetValue(from) is not null)
                {
                    throw new UsageException("--from and --volume-snapshot exclude each other");
                }

                return await RestoreVolumeSnapshotAsync(output, restorer, snapshot, parse.GetValue(pvc), parse.GetValue(storageClass), parse.GetValue(dryRun), parse.GetValue(yes), cancellationToken);
            }

            var directory = parse.GetValue(from) ?? throw new UsageException("give --from DIR (a restored component directory) or --volume-snapshot NAME");
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"--from {directory}: no such directory");
            }

            if (parse.GetValue(objectsOnly) && parse.GetValue(dataOnly))
            {
                throw new UsageException("--objects-only and --data-only exclude each other");
            }

            if (parse.GetValue(dryRun) || parse.GetValue(pvc) is not null || parse.GetValue(storageClass) is not null)
            {
                throw new UsageException("--dry-run, --pvc and --storage-class go with --volume-snapshot");
            }

            var objects = parse.GetValue(dataOnly) ? 0 : await restorer.RestoreObjectsAsync(directory, cancellationToken);
            var entries = parse.GetValue(objectsOnly) || k8s.PodData.Count == 0 ? 0 : await restorer.RestorePodDataAsync(directory, parse.GetValue(clean), cancellationToken);
            var restarted = objects == 0 || parse.GetValue(noRestart) ? [] : await restorer.RestartConsumersAsync(directory, parse.GetValue(rolloutTimeout), cancellationToken);
            if (output.Json)
            {
                output.Line("summary", new K8sRestoreSummaryJson(k8s.Name, objects, entries, restarted), CliJsonContext.Relaxed.K8sRestoreSummaryJson);
            }
            else
            {
                output.Result($"{k8s.Name}: {objects} object(s) applied, {entries} archive entries restored, {restarted.Count} workload(s) restarted");
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }

    private static async Task<int> RestoreVolumeSnapshotAsync(
        Output.CliOutput output, KubernetesRestorer restorer, string snapshot, string? pvc, string? storageClass, bool dryRun, bool yes, CancellationToken cancellationToken)
    {
        var plan = await restorer.PlanVolumeSnapshotRestoreAsync(snapshot, pvc, storageClass, cancellationToken);
        if (!dryRun && !yes)
        {
            Console.Error.WriteLine(restorer.Render(plan));
            throw new UsageException("k8s restore --volume-snapshot changes the cluster: see the plan above (--dry-run) and confirm with --yes");
        }

        if (dryRun)
        {
            if (output.Json)
            {
                output.Document(VolumeSnapshotRestoreJson.Of(plan, dryRun: true), CliJsonContext.Relaxed.VolumeSnapshotRestoreJson);
            }
            else
            {
                Console.Out.WriteLine(restorer.Render(plan));
            }

            return (int)ExitCode.Ok;
        }

        await restorer.RestoreVolumeSnapshotAsync(plan, cancellationToken);
        if (output.Json)
        {
            output.Document(VolumeSnapshotRestoreJson.Of(plan, dryRun: false), CliJsonContext.Relaxed.VolumeSnapshotRestoreJson);
        }
        else
        {
            output.Result($"{plan.Workload} now uses PVC {plan.RestoredPvc}, restored from VolumeSnapshot {plan.VolumeSnapshot}"
                + (plan.RetainedVolume is null ? string.Empty : $"; the old data stays on PV {plan.RetainedVolume} (Retain)")
                + (plan.WaitForFirstConsumer ? "; the PVC binds when its pod starts (WaitForFirstConsumer)" : string.Empty));
        }

        return (int)ExitCode.Ok;
    }

    private static Command PruneSnapshots()
    {
        var job = new Option<string>("--job") { Description = "The job whose retention applies to its kubernetes components' VolumeSnapshots", Required = true };
        var storageClass = new Option<string?>("--storage-class") { Description = "With --volume-snapshot: the new PVC's StorageClass (default: the original PVC's; needed when that PVC is gone)" };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only say which VolumeSnapshots would be deleted" };
        var command = new Command("prune-snapshots", "Delete the VolumeSnapshots a job's retention no longer keeps") { job, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Program.Output(parse);
            var (config, path, _) = LoadConfig(parse);
            var name = parse.GetValue(job)!;
            var jobConfig = config.Jobs.GetValueOrDefault(name) ?? throw new UsageException($"{path}: there is no job {name}");
            var retention = jobConfig.Retention ?? throw new UsageException($"job {name} has no retention: nothing says which VolumeSnapshots to keep");
            var removed = new List<RemovedVolumeSnapshotJson>();
            foreach (var k8s in jobConfig.Components.Select(c => config.Components[c]).OfType<Configuration.KubernetesComponent>().Where(c => c.VolumeSnapshots is not null))
            {
                foreach (var snapshot in await new VolumeSnapshotPruner().PruneAsync(k8s, retention, parse.GetValue(dryRun), cancellationToken))
                {
                    removed.Add(new RemovedVolumeSnapshotJson(k8s.Name, k8s.Namespace, snapshot));
                    output.Info($"{(parse.GetValue(dryRun) ? "would delete" : "deleted")} {k8s.Namespace}/{snapshot} ({k8s.Name})");
                }
            }

            if (output.Json)
            {
                output.Document(new PruneSnapshotsJson(parse.GetValue(dryRun), removed), CliJsonContext.Relaxed.PruneSnapshotsJson);
            }
            else
            {
                output.Result($"{removed.Count} VolumeSnapshot(s) {(parse.GetValue(dryRun) ? "would be" : "were")} deleted");
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }
}

/// <summary>The <c>summary</c> record of <c>k8s restore --from DIR</c>.</summary>
internal sealed record K8sRestoreSummaryJson(string Component, int ObjectsApplied, int ArchiveEntries, IReadOnlyList<string> Restarted);

/// <summary><c>k8s restore --volume-snapshot</c>: the plan (with --dry-run) or what was done.</summary>
internal sealed record VolumeSnapshotRestoreJson(
    bool DryRun,
    string VolumeSnapshot,
    string SourcePvc,
    string RestoredPvc,
    string Workload,
    bool WaitForFirstConsumer,
    string? RetainedVolume,
    IEnumerable<KubectlStepJson> Steps)
{
    public static VolumeSnapshotRestoreJson Of(VolumeSnapshotRestorePlan plan, bool dryRun) => new(
        DryRun: dryRun,
        VolumeSnapshot: plan.VolumeSnapshot,
        SourcePvc: plan.SourcePvc,
        RestoredPvc: plan.RestoredPvc,
        Workload: plan.Workload,
        WaitForFirstConsumer: plan.WaitForFirstConsumer,
        RetainedVolume: plan.RetainedVolume,
        Steps: plan.Steps.Select(s => new KubectlStepJson(s.Phase.ToString().ToLowerInvariant(), s.Description, s.Arguments, s.Manifest)));
}

/// <summary>One step of a VolumeSnapshot restore: its phase, what it does, kubectl's arguments and the manifest it applies.</summary>
internal sealed record KubectlStepJson(string Phase, string Description, IReadOnlyList<string> Arguments, string? Manifest);

/// <summary><c>k8s prune-snapshots --json</c>.</summary>
internal sealed record PruneSnapshotsJson(bool DryRun, IReadOnlyList<RemovedVolumeSnapshotJson> Removed);

/// <summary>A VolumeSnapshot prune-snapshots deleted (or would delete).</summary>
internal sealed record RemovedVolumeSnapshotJson(string Component, string Namespace, string VolumeSnapshot);
