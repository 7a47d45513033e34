using Stackvault.Configuration;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>
/// The least a backup needs, per namespace, from the configured <c>kubernetes</c> components: <c>get</c> on named
/// objects (with resourceNames), <c>list</c> for selectors; <c>get</c> on pods and <c>create</c> and <c>get</c>
/// on <c>pods/exec</c> for pod data (by name when the pods are named; kubectl's WebSocket exec is a GET);
/// create/get/list/watch/delete on VolumeSnapshots (watch for <c>kubectl wait</c>, delete for pruning). Restores are not granted: an operator runs
/// them with their own credentials.
/// </summary>
public static class RbacRules
{
    public static SortedDictionary<string, List<RbacRule>> For(IEnumerable<KubernetesComponent> components)
    {
        var wanted = new Dictionary<(string Ns, string Group, string Resource, string Verb), SortedSet<string>?>();
        void Add(string ns, string group, string resource, string verb, string? name)
        {
            var key = (ns, group, resource, verb);
            if (name is null)
            {
                wanted[key] = null; // unrestricted
            }
            else if (!wanted.TryGetValue(key, out var names))
            {
                wanted[key] = new SortedSet<string>(StringComparer.Ordinal) { name };
            }
            else
            {
                names?.Add(name);
            }
        }

        foreach (var component in components)
        {
            var ns = component.Namespace;
            foreach (var o in component.Objects)
            {
                var (resource, group) = KubernetesObjectRef.Kinds[o.Kind];
                Add(ns, group, resource, o.Name is null ? "list" : "get", o.Name);
            }

            foreach (var data in component.PodData)
            {
                if (data.Selector is not null)
                {
                    Add(ns, string.Empty, "pods", "list", null);
                }

                Add(ns, string.Empty, "pods", "get", data.Pod);
                // kubectl 1.30+ execs over WebSocket: an HTTP GET, authorized as get on pods/exec (and as create too
                // from Kubernetes 1.35); older kubectl and its SPDY fallback POST, authorized as create. Both are needed.
                Add(ns, string.Empty, "pods/exec", "create", data.Pod);
                Add(ns, string.Empty, "pods/exec", "get", data.Pod);
            }

            if (component.VolumeSnapshots is not null)
            {
                foreach (var verb in new[] { "create", "get", "list", "watch", "delete" })
                {
                    Add(ns, "snapshot.storage.k8s.io", "volumesnapshots", verb, null);
                }
            }
        }

        var result = new SortedDictionary<string, List<RbacRule>>(StringComparer.Ordinal);
        foreach (var group in wanted.GroupBy(w => (w.Key.Ns, w.Key.Group, w.Key.Resource, Names: w.Value is null ? string.Empty : string.Join(',', w.Value)))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal).ThenBy(g => g.Key.Resource, StringComparer.Ordinal).ThenBy(g => g.Key.Names, StringComparer.Ordinal))
        {
            var names = group.First().Value?.ToList() ?? [];
            var verbs = group.Select(g => g.Key.Verb).Order(StringComparer.Ordinal).ToList();
            if (!result.TryGetValue(group.Key.Ns, out var rules))
            {
                result[group.Key.Ns] = rules = [];
            }

            rules.Add(new RbacRule(group.Key.Group, group.Key.Resource, verbs, names));
        }

        return result;
    }
}
