using System.CommandLine;
using Stackvault.Components.Kubernetes;
using Stackvault.Errors;

namespace Stackvault.Cli.Commands;

/// <summary><c>stackvault k8s restore</c> and <c>stackvault k8s prune-snapshots</c>.</summary>
internal static partial class K8sCommand
{
    private static Command Restore()
    {
        var component = new Option<string>("--component") { Description = "The kubernetes component of the config", Required = true };
        var from = new Option<string>("--from") { Description = "The component's restored directory (restore SNAPSHOT --component NAME --target DIR)", Required = true };
        var objectsOnly = new Option<bool>("--objects-only") { Description = "Only apply the saved objects (config-only recovery)" };
        var dataOnly = new Option<bool>("--data-only") { Description = "Only restore pod data (scale down, stream, scale back)" };
        var clean = new Option<bool>("--clean") { Description = "Empty each pod data directory before unpacking into it" };
        var helperImage = new Option<string>("--helper-image") { Description = "Image of the helper pod for pod_data entries with pvc (needs tar, find, sleep)", DefaultValueFactory = _ => "busybox:1.36" };
        var command = new Command("restore", "Restore a kubernetes component: apply its objects (server dry run first), stream its pod data back")
            { component, from, objectsOnly, dataOnly, clean, helperImage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Program.Output(parse);
            var (config, path, _) = LoadConfig(parse);
            var k8s = KubernetesComponentNamed(config, path, parse.GetValue(component)!);
            var directory = parse.GetValue(from)!;
            if (!Directory.Exists(directory))
            {
                throw new StackvaultException($"--from {directory}: no such directory", ExitCode.Usage);
            }

            if (parse.GetValue(objectsOnly) && parse.GetValue(dataOnly))
            {
                throw new StackvaultException("--objects-only and --data-only exclude each other", ExitCode.Usage);
            }

            var restorer = new KubernetesRestorer(k8s, output.Info) { HelperImage = parse.GetValue(helperImage)! };
            var objects = parse.GetValue(dataOnly) ? 0 : await restorer.RestoreObjectsAsync(directory, cancellationToken);
            var entries = parse.GetValue(objectsOnly) || k8s.PodData.Count == 0 ? 0 : await restorer.RestorePodDataAsync(directory, parse.GetValue(clean), cancellationToken);
            if (output.Json)
            {
                output.Line("summary", new { component = k8s.Name, objects_applied = objects, archive_entries = entries });
            }
            else
            {
                output.Result($"{k8s.Name}: {objects} object(s) applied, {entries} archive entries restored");
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }

    private static Command PruneSnapshots()
    {
        var job = new Option<string>("--job") { Description = "The job whose retention applies to its kubernetes components' VolumeSnapshots", Required = true };
        var dryRun = new Option<bool>("--dry-run", "-n") { Description = "Only say which VolumeSnapshots would be deleted" };
        var command = new Command("prune-snapshots", "Delete the VolumeSnapshots a job's retention no longer keeps") { job, dryRun };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Program.Output(parse);
            var (config, path, _) = LoadConfig(parse);
            var name = parse.GetValue(job)!;
            var jobConfig = config.Jobs.GetValueOrDefault(name) ?? throw new StackvaultException($"{path}: there is no job {name}", ExitCode.Usage);
            var retention = jobConfig.Retention ?? throw new StackvaultException($"job {name} has no retention: nothing says which VolumeSnapshots to keep", ExitCode.Usage);
            var removed = new List<object>();
            foreach (var k8s in jobConfig.Components.Select(c => config.Components[c]).OfType<Configuration.KubernetesComponent>().Where(c => c.VolumeSnapshots is not null))
            {
                foreach (var snapshot in await new VolumeSnapshotPruner().PruneAsync(k8s, retention, parse.GetValue(dryRun), cancellationToken))
                {
                    removed.Add(new { component = k8s.Name, @namespace = k8s.Namespace, volume_snapshot = snapshot });
                    output.Info($"{(parse.GetValue(dryRun) ? "would delete" : "deleted")} {k8s.Namespace}/{snapshot} ({k8s.Name})");
                }
            }

            if (output.Json)
            {
                output.Document(new { dry_run = parse.GetValue(dryRun), removed });
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
