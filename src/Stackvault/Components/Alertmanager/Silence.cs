using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stackvault.Errors;

namespace Stackvault.Components.Alertmanager;

/// <summary>
/// One silence as the Alertmanager v2 API lists it: id, state, matchers, startsAt/endsAt, createdBy, comment. Parsed
/// strictly: a listing that is not an array of such objects is refused with a one-line message.
/// </summary>
public sealed record Silence(string Id, string State, JsonArray Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment)
{
    /// <summary>Whether it still silences (or will): endsAt after <paramref name="now"/> and state active or pending.</summary>
    public bool InForce(DateTimeOffset now) => EndsAt > now && State is "active" or "pending";

    /// <summary>The matchers in a canonical order and form (isEqual defaults to true), for comparing silences.</summary>
    public string MatcherKey => string.Join('\n', Matchers.Select(m => string.Join('\u001f',
        m?["name"]?.GetValue<string>() ?? string.Empty,
        m?["value"]?.GetValue<string>() ?? string.Empty,
        m?["isRegex"]?.GetValue<bool>() == true ? "re" : "lit",
        m?["isEqual"]?.GetValue<bool>() == false ? "ne" : "eq")).Order(StringComparer.Ordinal));

    /// <summary>
    /// Whether <paramref name="existing"/> (on the target) is this silence re-created: same matchers, endsAt, createdBy
    /// and comment, and the same startsAt, or both already started by <paramref name="now"/> (Alertmanager moves a new
    /// silence's past startsAt to the moment it is created).
    /// </summary>
    public bool SameAs(Silence existing, DateTimeOffset now) =>
        existing.MatcherKey == MatcherKey && existing.EndsAt == EndsAt && existing.CreatedBy == CreatedBy && existing.Comment == Comment
        && (existing.StartsAt == StartsAt || (existing.StartsAt <= now && StartsAt <= now));

    /// <summary>The body of <c>POST /api/v2/silences</c> creating this silence (no id: a new one).</summary>
    public string ToPostBody() => new JsonObject
    {
        ["matchers"] = Matchers.DeepClone(),
        ["startsAt"] = StartsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["endsAt"] = EndsAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["createdBy"] = CreatedBy,
        ["comment"] = Comment,
    }.ToJsonString();

    /// <summary>Parses a <c>GET /api/v2/silences</c> answer; <paramref name="source"/> names it in errors.</summary>
    public static IReadOnlyList<Silence> ParseList(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new StackvaultException($"{source}: not JSON ({e.Message})");
        }

        if (root is not JsonArray array)
        {
            throw new StackvaultException($"{source}: expected a JSON array of silences");
        }

        var silences = new List<Silence>(array.Count);
        foreach (var item in array)
        {
            try
            {
                silences.Add(new Silence(
                    Text(item, "id"),
                    item!["status"]?["state"]?.GetValue<string>() ?? string.Empty,
                    item["matchers"] as JsonArray ?? throw new FormatException("no matchers"),
                    DateTimeOffset.Parse(Text(item, "startsAt"), CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(Text(item, "endsAt"), CultureInfo.InvariantCulture),
                    item["createdBy"]?.GetValue<string>() ?? string.Empty,
                    item["comment"]?.GetValue<string>() ?? string.Empty));
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or NullReferenceException)
            {
                throw new StackvaultException($"{source}: silence #{silences.Count + 1} is malformed ({e.Message})");
            }
        }

        return silences;
    }

    private static string Text(JsonNode? item, string key) =>
        item?[key]?.GetValue<string>() ?? throw new FormatException($"no {key}");
}
