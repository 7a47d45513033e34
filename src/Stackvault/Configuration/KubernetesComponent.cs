namespace Stackvault.Configuration;

/// <summary>
/// <c>type: kubernetes</c>: accepted as an opaque settings tree until its issue defines the keys. Values are
/// strings, nested <see cref="IReadOnlyDictionary{TKey,TValue}"/> or <see cref="IReadOnlyList{T}"/>; nothing reads
/// them yet.
/// </summary>
public sealed record KubernetesComponent(string Name, HookSet Hooks, int Line, IReadOnlyDictionary<string, object?> Settings)
    : ComponentConfig(Name, Hooks, Line)
{
    public override string Type => "kubernetes";
}
