namespace Stackvault.Configuration;

/// <summary>
/// <c>{pod: loki-0, container: loki, path: /var/loki}</c> or with <c>selector:</c> instead of <c>pod:</c> (the first
/// ready pod by name): the directory streamed out with <c>kubectl exec ... -- tar cf - -C PATH .</c>. With
/// <c>pvc:</c>, a restore streams the data into a helper pod that mounts that PVC at PATH (the workload being scaled
/// to 0), else into the live pod.
/// </summary>
public sealed record KubernetesPodData(string? Pod, string? Selector, string? Container, string Path, string? Pvc = null)
{
    /// <summary>The file name of this entry's archive in the snapshot: <c>pod-data/&lt;index&gt;.tar</c>.</summary>
    public static string ArchiveName(int index) => $"pod-data/{index}.tar";

    public override string ToString() => (Pod ?? "-l " + Selector) + (Container is null ? string.Empty : " -c " + Container) + ":" + Path;
}
