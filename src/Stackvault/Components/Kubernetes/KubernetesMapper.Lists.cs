namespace Stackvault.Configuration;

/// <summary>The list keys of a <c>type: kubernetes</c> component.</summary>
internal static partial class KubernetesMapper
{
    private static List<KubernetesObjectRef> Refs(ConfigReader reader, YMapping map, string path, string key, IReadOnlyList<string> kinds, bool allowSelector)
    {
        var result = new List<KubernetesObjectRef>();
        foreach (var (item, itemPath) in Items(reader, map[key], ConfigReader.Child(path, key), allowSelector ? ObjectKeys : ["kind", "name"]))
        {
            var kind = reader.String(item, itemPath, "kind", required: true);
            if (kind is not null && !kinds.Contains(kind))
            {
                var suggestion = DidYouMean.Closest(kind, kinds);
                reader.Problem(ConfigReader.Child(itemPath, "kind"), item["kind"], $"unknown kind: use one of {string.Join(", ", kinds)}" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
                kind = null;
            }

            var name = Name(reader, item, itemPath, "name", required: !allowSelector);
            var selector = allowSelector ? Selector(reader, item, itemPath) : null;
            if (allowSelector && (item["name"] is null) == (item["selector"] is null))
            {
                reader.Problem(itemPath, item, "needs exactly one of name or selector");
                continue;
            }

            if (kind is not null && (name ?? selector) is not null)
            {
                result.Add(new KubernetesObjectRef(kind, name, selector));
            }
        }

        return result;
    }

    private static List<KubernetesPodData> PodData(ConfigReader reader, YMapping map, string path)
    {
        var result = new List<KubernetesPodData>();
        foreach (var (item, itemPath) in Items(reader, map["pod_data"], ConfigReader.Child(path, "pod_data"), PodDataKeys))
        {
            var pod = Name(reader, item, itemPath, "pod");
            var selector = Selector(reader, item, itemPath);
            if ((item["pod"] is null) == (item["selector"] is null))
            {
                reader.Problem(itemPath, item, "needs exactly one of pod or selector");
                continue;
            }

            var container = Name(reader, item, itemPath, "container");
            var pvc = Name(reader, item, itemPath, "pvc");
            var dataPath = reader.AbsolutePath(item, itemPath, "path", required: true);
            if (dataPath == "/")
            {
                reader.Problem(ConfigReader.Child(itemPath, "path"), item["path"], "must be a data directory, not /");
                dataPath = null;
            }

            if ((pod ?? selector) is not null && dataPath is not null)
            {
                result.Add(new KubernetesPodData(pod, selector, container, dataPath.TrimEnd('/'), pvc));
            }
        }

        return result;
    }

    private static KubernetesVolumeSnapshots? Snapshots(ConfigReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, SnapshotKeys);
        if (map is null)
        {
            return null;
        }

        var snapshotClass = Name(reader, map, path, "class", required: true);
        var pvcs = reader.StringList(map, path, "pvcs", required: true);
        var items = (map["pvcs"] as YSequence)?.Items ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YScalar { IsNull: false, Value.Length: > 0 } item && !IsName(item.Value))
            {
                reader.Problem(ConfigReader.Index(ConfigReader.Child(path, "pvcs"), i), item, "not a Kubernetes name");
            }
        }

        var timeout = reader.Duration(map, path, "timeout");
        return snapshotClass is null || pvcs.Count == 0 || !pvcs.All(IsName) ? null : new KubernetesVolumeSnapshots(snapshotClass, pvcs, timeout);
    }
}
