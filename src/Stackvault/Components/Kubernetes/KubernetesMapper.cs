using System.Text.RegularExpressions;

namespace Stackvault.Configuration;

/// <summary>Reads a <c>type: kubernetes</c> component (docs/kubernetes.md lists the keys).</summary>
internal static partial class KubernetesMapper
{
    public static readonly string[] Keys = ["kubeconfig", "context", "namespace", "timeout", "objects", "pod_data", "volume_snapshots", "scale"];

    private static readonly string[] ObjectKeys = ["kind", "name", "selector"];
    private static readonly string[] PodDataKeys = ["pod", "selector", "container", "path", "pvc"];
    private static readonly string[] SnapshotKeys = ["class", "pvcs", "timeout"];

    public static KubernetesComponent? Read(ConfigReader reader, string name, string path, int line, YMapping map, HookSet hooks)
    {
        var ns = Name(reader, map, path, "namespace", required: true);
        var objects = Refs(reader, map, path, "objects", KubernetesObjectRef.Kinds.Keys.ToList(), allowSelector: true);
        var podData = PodData(reader, map, path);
        var snapshots = Snapshots(reader, map["volume_snapshots"], ConfigReader.Child(path, "volume_snapshots"));
        var scale = Refs(reader, map, path, "scale", KubernetesObjectRef.ScalableKinds, allowSelector: false);
        if (objects.Count == 0 && podData.Count == 0 && snapshots is null && map["objects"] is null && map["pod_data"] is null)
        {
            reader.Problem(path, map, "a kubernetes component needs objects, pod_data or volume_snapshots");
        }

        var component = new KubernetesComponent(name, hooks, line, OpaqueTree.FromMapping(map, ["type", "hooks"]))
        {
            Kubeconfig = reader.AbsolutePath(map, path, "kubeconfig"),
            Context = Arg(reader, map, path, "context"),
            Namespace = ns ?? "default",
            Timeout = reader.Duration(map, path, "timeout") ?? KubernetesComponent.DefaultTimeout,
            Objects = objects,
            PodData = podData,
            VolumeSnapshots = snapshots,
            Scale = scale,
        };
        return ns is null ? null : component;
    }

    /// <summary>A DNS-1123 name as Kubernetes accepts for objects, namespaces and containers.</summary>
    public static bool IsName(string text) => text.Length <= 253 && NamePattern().IsMatch(text);

    /// <summary>A label selector's characters (no spaces at the ends, never an option for kubectl).</summary>
    public static bool IsSelector(string text) => !text.StartsWith('-') && SelectorPattern().IsMatch(text);

    private static string? Name(ConfigReader reader, YMapping map, string path, string key, bool required = false)
    {
        var text = reader.String(map, path, key, required);
        if (text is not null && !IsName(text))
        {
            reader.Problem(ConfigReader.Child(path, key), map[key], "not a Kubernetes name (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
            return null;
        }

        return text;
    }

    private static string? Arg(ConfigReader reader, YMapping map, string path, string key)
    {
        var text = reader.String(map, path, key);
        if (text is not null && (text.StartsWith('-') || text.Any(char.IsWhiteSpace)))
        {
            reader.Problem(ConfigReader.Child(path, key), map[key], "must not start with '-' or contain spaces");
            return null;
        }

        return text;
    }

    private static string? Selector(ConfigReader reader, YMapping map, string path)
    {
        var text = reader.String(map, path, "selector");
        if (text is not null && !IsSelector(text))
        {
            reader.Problem(ConfigReader.Child(path, "selector"), map["selector"], "not a label selector (e.g. app.kubernetes.io/name=loki)");
            return null;
        }

        return text;
    }

    private static IEnumerable<(YMapping Map, string Path)> Items(ConfigReader reader, YNode? node, string path, IReadOnlyCollection<string> keys)
    {
        if (node is null or YScalar { IsNull: true })
        {
            yield break;
        }

        if (node is not YSequence sequence)
        {
            reader.Problem(path, node, "expected a list");
            yield break;
        }

        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = ConfigReader.Index(path, i);
            if (reader.Mapping(sequence.Items[i], itemPath, keys) is { } item)
            {
                yield return (item, itemPath);
            }
            else if (sequence.Items[i] is YScalar { IsNull: true })
            {
                reader.Problem(itemPath, sequence.Items[i], "expected a mapping");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9._/=!,()\- ]*[A-Za-z0-9)])?$")]
    private static partial Regex SelectorPattern();
}
