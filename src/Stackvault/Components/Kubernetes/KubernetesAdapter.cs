using System.Diagnostics;
using System.Text.Json;
using Stackvault.Backup;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// <c>type: kubernetes</c>, through kubectl: the configured objects saved as cleaned YAML under
/// <c>/&lt;name&gt;/objects/&lt;kind&gt;/&lt;object&gt;.yaml</c> (Secrets only into an encrypted repository); each
/// <c>pod_data</c> directory streamed from <c>kubectl exec POD -c C -- tar cf - -C PATH .</c> straight into
/// <c>/&lt;name&gt;/pod-data/&lt;i&gt;.tar</c> (no temporary file); VolumeSnapshots created, awaited until
/// readyToUse and recorded in <c>/&lt;name&gt;/volume-snapshots.json</c>. <c>/&lt;name&gt;/component.json</c> names
/// the pods and paths the archives came from.
/// </summary>
public sealed partial class KubernetesAdapter(bool repositoryEncrypted, TimeProvider timeProvider, string kubectl = "kubectl") : IComponentAdapter
{
    public const string Method = "kubectl";

    public string Type => KubernetesComponent.TypeName;

    public async ValueTask<ComponentPlan> PrepareAsync(ComponentConfig component, string scratchDirectory, CancellationToken cancellationToken)
    {
        var k8s = (KubernetesComponent)component;
        var started = Stopwatch.GetTimestamp();
        if (!repositoryEncrypted && k8s.Objects.Any(o => o.Kind == "Secret"))
        {
            throw new UsageException(
                $"component {k8s.Name}: Secrets are only backed up into an encrypted repository; this one is unencrypted");
        }

        var client = new Kubectl(k8s, kubectl);
        var sources = new List<BackupSource>();
        var checks = new Dictionary<string, long>(StringComparer.Ordinal);
        if (k8s.Objects.Count > 0)
        {
            var objects = Path.Combine(scratchDirectory, "objects");
            checks["objects"] = await SaveObjectsAsync(client, k8s.Objects, objects, cancellationToken).ConfigureAwait(false);
            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "objects"), objects));
        }

        var pods = new List<KubernetesPodDataRecord>();
        for (var i = 0; i < k8s.PodData.Count; i++)
        {
            var data = k8s.PodData[i];
            var pod = data.Pod ?? await ReadyPodAsync(client, data.Selector!, cancellationToken).ConfigureAwait(false);
            string[] exec = ["exec", pod, .. Container(data), "--", "tar", "cf", "-", "-C", data.Path, "."];
            sources.Add(BackupSource.FromStream(ComponentPlan.PathIn(component, KubernetesPodData.ArchiveName(i)), _ => ValueTask.FromResult(client.OpenOutput(exec, null))));
            pods.Add(new KubernetesPodDataRecord(i, pod, data.Container, data.Path));
        }

        checks["pod_data.archives"] = k8s.PodData.Count;
        var made = new List<VolumeSnapshotRecord>();
        if (k8s.VolumeSnapshots is { } snapshots)
        {
            try
            {
                await CreateSnapshotsAsync(client, k8s, snapshots, made, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StackvaultException or OperationCanceledException or IOException)
            {
                await DeleteSnapshotsAsync(client, made).ConfigureAwait(false);
                throw;
            }

            checks["volume_snapshots.ready"] = made.Count;
            var record = Path.Combine(scratchDirectory, "volume-snapshots.json");
            await File.WriteAllTextAsync(record, JsonSerializer.Serialize(made, KubernetesJsonContext.Indented.ListVolumeSnapshotRecord), cancellationToken).ConfigureAwait(false);
            sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "volume-snapshots.json"), record));
        }

        var description = Path.Combine(scratchDirectory, "component.json");
        await File.WriteAllTextAsync(description, JsonSerializer.Serialize(new KubernetesComponentRecord(k8s.Namespace, pods), KubernetesJsonContext.Default.KubernetesComponentRecord), cancellationToken).ConfigureAwait(false);
        sources.Add(BackupSource.At(ComponentPlan.PathIn(component, "component.json"), description));

        var section = ComponentPlan.NewSection(component, Method, $"namespace {k8s.Namespace}" + (k8s.Context is null ? string.Empty : $" (context {k8s.Context})"));
        section.Checks = checks;
        section.DurationSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new ComponentPlan(sources, section);
    }

    internal static string[] Container(KubernetesPodData data) => data.Container is null ? [] : ["-c", data.Container];

    private static async Task<int> SaveObjectsAsync(Kubectl client, IReadOnlyList<KubernetesObjectRef> refs, string directory, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var reference in refs)
        {
            string[] get = reference.Name is { } name
                ? ["get", reference.KubectlType, name, "-o", "json"]
                : ["get", reference.KubectlType, "-l", reference.Selector!, "-o", "json"];
            var json = await client.RunAsync(get, cancellationToken).ConfigureAwait(false);
            foreach (var item in KubernetesObjects.Parse(json))
            {
                var clean = KubernetesObjects.Clean(item);
                var kindDirectory = Directory.CreateDirectory(Path.Combine(directory, reference.Kind.ToLowerInvariant())).FullName;
                var objectName = KubernetesObjects.Name(clean);
                if (!KubernetesMapper.IsName(objectName))
                {
                    throw new StackvaultException($"kubectl returned an object with an unusable name: {reference}");
                }

                await File.WriteAllTextAsync(Path.Combine(kindDirectory, objectName + ".yaml"), KubernetesObjects.ToYaml(clean), cancellationToken).ConfigureAwait(false);
                count++;
            }
        }

        return count;
    }

    /// <summary>The first pod by name matching <paramref name="selector"/> that is Running and Ready.</summary>
    internal static async Task<string> ReadyPodAsync(Kubectl client, string selector, CancellationToken cancellationToken)
    {
        var json = await client.RunAsync(["get", "pods", "-l", selector, "-o", "json"], cancellationToken).ConfigureAwait(false);
        var ready = KubernetesObjects.Parse(json)
            .Where(p => (string?)p["status"]?["phase"] == "Running"
                && p["status"]?["conditions"]?.AsArray().Any(c => (string?)c?["type"] == "Ready" && (string?)c?["status"] == "True") == true)
            .Select(KubernetesObjects.Name)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        return ready ?? throw new StackvaultException($"no Running and Ready pod matches -l {selector} in namespace {client.Namespace}");
    }
}
