namespace Stackvault.Deploy.Kubernetes;

/// <summary>One Role rule: verbs on one resource of one API group, limited to names when they are all known.</summary>
public sealed record RbacRule(string ApiGroup, string Resource, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames)
{
    public Dictionary<string, object?> ToTree() => Tree.Map(
        ("apiGroups", Tree.List(ApiGroup)),
        ("resources", Tree.List(Resource)),
        ("resourceNames", ResourceNames.Count == 0 ? null : ResourceNames.Cast<object?>().ToList()),
        ("verbs", Verbs.Cast<object?>().ToList()));
}
