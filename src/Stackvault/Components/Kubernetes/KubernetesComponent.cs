namespace Stackvault.Configuration;

/// <summary>
/// <c>type: kubernetes</c>: objects, pod data and VolumeSnapshots of one namespace, reached through the kubectl CLI
/// (<see cref="Kubeconfig"/> and <see cref="Context"/> select the cluster; both default to kubectl's own choice).
/// <see cref="Settings"/> keeps the section as written (for <c>config show</c>); the typed keys are the properties.
/// </summary>
public sealed record KubernetesComponent(string Name, HookSet Hooks, int Line, IReadOnlyDictionary<string, object?> Settings)
    : ComponentConfig(Name, Hooks, Line)
{
    /// <summary>The default for each kubectl wait (rollout, readiness, VolumeSnapshot readyToUse).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The <c>type:</c> of this engine, written here only (<see cref="Stackvault.Components.EngineCatalog"/> registers it).</summary>
    public const string TypeName = "kubernetes";

    public override string Type => TypeName;

    public string? Kubeconfig { get; init; }

    public string? Context { get; init; }

    public string Namespace { get; init; } = "default";

    /// <summary>How long each wait may take (<c>timeout</c>, default 5m).</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public IReadOnlyList<KubernetesObjectRef> Objects { get; init; } = [];

    public IReadOnlyList<KubernetesPodData> PodData { get; init; } = [];

    public KubernetesVolumeSnapshots? VolumeSnapshots { get; init; }

    /// <summary>The workloads scaled to 0 while pod data is restored (then back to their recorded replicas).</summary>
    public IReadOnlyList<KubernetesObjectRef> Scale { get; init; } = [];
}
