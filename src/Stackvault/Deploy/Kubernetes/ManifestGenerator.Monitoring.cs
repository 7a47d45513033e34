using Stackvault.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Stackvault.Deploy.Kubernetes;

/// <summary>The Grafana dashboard ConfigMap and the PrometheusRule, from the files given (left out when absent).</summary>
public static partial class ManifestGenerator
{
    private static IEnumerable<GeneratedObject> Monitoring(ManifestOptions options)
    {
        if (options.DashboardJson is { } dashboard)
        {
            yield return ConfigMap("configmap-dashboard.yaml", "stackvault-dashboard", options.Namespace, "dashboard",
                Tree.Map(("grafana_dashboard", "1")), "stackvault-dashboard.json", dashboard);
        }

        if (options.AlertRulesYaml is { } rules)
        {
            var tree = ParseRules(rules);
            yield return new("prometheusrule.yaml", Tree.Map(
                ("apiVersion", "monitoring.coreos.com/v1"),
                ("kind", "PrometheusRule"),
                ("metadata", Tree.Metadata(Name, options.Namespace, "alerts")),
                ("spec", Tree.Map(("groups", tree["groups"])))));
        }
    }

    /// <summary>A Prometheus rules file (<c>groups:</c>) as a tree; plain numbers and booleans keep their type.</summary>
    public static Dictionary<string, object?> ParseRules(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new UsageException($"the alert rules file is not YAML: {e.Message}");
        }

        return stream.Documents.Count == 1 && Plain(stream.Documents[0].RootNode) is Dictionary<string, object?> { } root && root.GetValueOrDefault("groups") is List<object?>
            ? root
            : throw new UsageException("the alert rules file has no 'groups:' list (a Prometheus rules file)");
    }

    private static object? Plain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value ?? string.Empty, c => Plain(c.Value), StringComparer.Ordinal),
        YamlSequenceNode list => list.Children.Select(Plain).ToList(),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s => s.Value == "true",
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "~" or "null" } => null,
        YamlScalarNode s => s.Value,
        _ => null,
    };
}
