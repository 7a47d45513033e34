namespace Stackvault.Deploy.Kubernetes;

/// <summary>Ordered maps and lists for generated objects (YAML keeps the order written).</summary>
internal static class Tree
{
    public static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map[key] = value;
            }
        }

        return map;
    }

    public static List<object?> List(params object?[] items) => [.. items];

    public static Dictionary<string, object?> Metadata(string name, string? ns, string component, Dictionary<string, object?>? extraLabels = null)
    {
        var labels = Map(("app.kubernetes.io/name", "stackvault"), ("app.kubernetes.io/component", component), ("app.kubernetes.io/part-of", "stackvault"));
        foreach (var (key, value) in extraLabels ?? [])
        {
            labels[key] = value;
        }

        return Map(("name", name), ("namespace", ns), ("labels", labels));
    }
}
