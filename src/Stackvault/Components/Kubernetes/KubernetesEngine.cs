using Stackvault.Configuration;

namespace Stackvault.Components.Kubernetes;

/// <summary><c>type: kubernetes</c>: objects, pod data and VolumeSnapshots through kubectl (configuration); restored by <c>restore-k8s</c>.</summary>
internal sealed class KubernetesEngine : IEngine
{
    public string Type => KubernetesComponent.TypeName;

    public IReadOnlyList<string> Keys => KubernetesMapper.Keys;

    public string Method => "kubectl";

    public IReadOnlyList<ItemClass> Holds { get; } = [ItemClass.Config];

    public ItemClass Recovery => ItemClass.Config;

    public EngineRestore Restore { get; } = new();

    public ComponentConfig? Read(EngineSection s) => KubernetesMapper.Read(s.Reader, s.Name, s.Path, s.Line, s.Map, s.Hooks);

    public IEnumerable<(string Key, object? Value)> Shown(ComponentConfig component) => component is KubernetesComponent k
        ? k.Settings.Select(s => (s.Key, s.Value is string text ? Configuration.ConfigRedaction.Text(text) : s.Value))
        : [];

    public IComponentAdapter Adapter(EngineServices services) => new KubernetesAdapter(services.RepositoryEncrypted, services.Time);

    public ItemClass ClassOf(string relative) => ItemClass.Config;
}
