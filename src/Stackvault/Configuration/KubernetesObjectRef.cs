namespace Stackvault.Configuration;

/// <summary>
/// <c>{kind: ConfigMap, name: loki}</c> or <c>{kind: StatefulSet, selector: app.kubernetes.io/name=loki}</c>: one
/// object by name, or every object of the kind matching a label selector.
/// </summary>
public sealed record KubernetesObjectRef(string Kind, string? Name, string? Selector)
{
    /// <summary>The kinds a <c>kubernetes</c> component saves, with their resource (plural) and API group.</summary>
    public static readonly IReadOnlyDictionary<string, (string Resource, string Group)> Kinds = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["ConfigMap"] = ("configmaps", string.Empty),
        ["Secret"] = ("secrets", string.Empty),
        ["Service"] = ("services", string.Empty),
        ["PersistentVolumeClaim"] = ("persistentvolumeclaims", string.Empty),
        ["StatefulSet"] = ("statefulsets", "apps"),
        ["Deployment"] = ("deployments", "apps"),
    };

    /// <summary>The kinds that can be scaled (<c>scale:</c>).</summary>
    public static readonly IReadOnlyList<string> ScalableKinds = ["StatefulSet", "Deployment"];

    public string Resource => Kinds[Kind].Resource;

    /// <summary><c>kubectl get</c>'s type argument: <c>configmaps</c>, <c>statefulsets.apps</c>.</summary>
    public string KubectlType => Kinds[Kind].Group.Length == 0 ? Resource : Resource + "." + Kinds[Kind].Group;

    public override string ToString() => Name is not null ? $"{Kind}/{Name}" : $"{Kind} -l {Selector}";
}
