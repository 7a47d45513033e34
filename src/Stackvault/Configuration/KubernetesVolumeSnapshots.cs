namespace Stackvault.Configuration;

/// <summary>
/// <c>volume_snapshots: {class: csi-snapclass, pvcs: [storage-loki-0], timeout: 10m}</c>: a CSI VolumeSnapshot per
/// PVC at each backup, awaited until readyToUse (null <see cref="Timeout"/>: the component's timeout).
/// </summary>
public sealed record KubernetesVolumeSnapshots(string Class, IReadOnlyList<string> Pvcs, TimeSpan? Timeout);
