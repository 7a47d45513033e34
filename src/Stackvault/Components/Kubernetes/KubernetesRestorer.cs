using System.Runtime.ExceptionServices;
using Stackvault.Configuration;
using Stackvault.Errors;

namespace Stackvault.Components.Kubernetes;

/// <summary>
/// Restores a <c>kubernetes</c> component from its restored directory (<c>restore SNAPSHOT --component NAME
/// --target DIR</c>): objects with <c>kubectl apply</c> after a server-side dry run of all of them; pod data by
/// scaling the <c>scale:</c> workloads to 0 (waiting for their pods to go), streaming each archive through
/// <see cref="TarSanitizer"/> into <c>kubectl exec -i POD -- tar xf - -C PATH</c> (a helper pod mounting the entry's
/// <c>pvc</c> when set), then scaling back to the replica counts recorded before, waiting for the rollouts. The
/// scale-back always runs, also after a failure or cancellation.
/// </summary>
public sealed partial class KubernetesRestorer(KubernetesComponent component, Action<string> progress, string kubectl = "kubectl")
{
    private static readonly string[] KindOrder = ["configmap", "secret", "persistentvolumeclaim", "service", "statefulset", "deployment"];

    private readonly Kubectl _client = new(component, kubectl);

    /// <summary>The image of the helper pod for <c>pvc</c> entries: it needs <c>tar</c> and <c>sleep</c>.</summary>
    public string HelperImage { get; init; } = "busybox:1.36";

    /// <summary>Applies every saved object; returns how many. Nothing is applied when the dry run rejects one.</summary>
    public async Task<int> RestoreObjectsAsync(string componentDirectory, CancellationToken cancellationToken)
    {
        var objects = Path.Combine(componentDirectory, "objects");
        var files = KindOrder
            .Select(kind => Path.Combine(objects, kind))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.yaml").Order(StringComparer.Ordinal))
            .ToList();
        if (files.Count == 0)
        {
            return 0;
        }

        var arguments = files.SelectMany(f => new[] { "-f", f }).ToList();
        progress($"{component.Name}: server-side dry run of {files.Count} object(s)");
        await _client.RunAsync(["apply", "--dry-run=server", .. arguments], cancellationToken).ConfigureAwait(false);
        progress($"{component.Name}: applying {files.Count} object(s)");
        await _client.RunAsync(["apply", .. arguments], cancellationToken).ConfigureAwait(false);
        return files.Count;
    }

    /// <summary>Restores every pod_data archive with the scale-down/scale-back choreography; returns the entries written.</summary>
    public async Task<int> RestorePodDataAsync(string componentDirectory, bool clean, CancellationToken cancellationToken)
    {
        var archives = Enumerable.Range(0, component.PodData.Count)
            .Select(i => Path.Combine(componentDirectory, KubernetesPodData.ArchiveName(i)))
            .ToList();
        if (archives.FirstOrDefault(a => !File.Exists(a)) is { } missing)
        {
            throw new UsageException($"{component.Name}: the restored directory has no {Path.GetRelativePath(componentDirectory, missing)}");
        }

        var recorded = new List<(KubernetesObjectRef Workload, int Replicas)>();
        Exception? failure = null;
        var entries = 0;
        try
        {
            await ScaleDownAsync(recorded, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < archives.Count; i++)
            {
                entries += await RestoreArchiveAsync(component.PodData[i], archives[i], clean, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is StackvaultException or IOException or InvalidDataException or OperationCanceledException)
        {
            failure = e;
        }

        var scaleErrors = await ScaleBackAsync(recorded).ConfigureAwait(false);
        if (failure is not null)
        {
            if (scaleErrors.Count == 0)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            throw new StackvaultException($"{component.Name}: restore failed: {failure.Message}; scaling back also failed: {string.Join("; ", scaleErrors)}", failure);
        }

        return scaleErrors.Count == 0 ? entries
            : throw new StackvaultException($"{component.Name}: data restored, but scaling back failed: {string.Join("; ", scaleErrors)}");
    }
}
