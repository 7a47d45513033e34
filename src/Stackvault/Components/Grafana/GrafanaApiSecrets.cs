using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stackvault.Components.Grafana;

/// <summary>
/// Removes secrets from Grafana API answers before they are stored: every property named <c>secureJsonData</c>,
/// <c>secureSettings</c>, <c>basicAuthPassword</c> or <c>password</c>, at any depth (Grafana leaves only the booleans of
/// <c>secureJsonFields</c>, which say which secrets are set).
/// </summary>
public static class GrafanaApiSecrets
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase) { "secureJsonData", "secureSettings", "basicAuthPassword", "password" };

    public static JsonNode? Drop(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).Where(Names.Contains).ToList())
                {
                    obj.Remove(name);
                }

                foreach (var (_, value) in obj)
                {
                    Drop(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Drop(item);
                }

                break;
        }

        return node;
    }
}
