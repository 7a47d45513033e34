namespace Stackvault.Configuration;

/// <summary>Turns YAML nodes into plain strings, lists and dictionaries for sections whose keys are not defined yet.</summary>
internal static class OpaqueTree
{
    public static IReadOnlyDictionary<string, object?> FromMapping(YMapping map, IReadOnlyCollection<string> skip)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (!skip.Contains(key.Value))
            {
                result.TryAdd(key.Value, From(value));
            }
        }

        return result;
    }

    private static object? From(YNode node) => node switch
    {
        YScalar { IsNull: true } => null,
        YScalar scalar => scalar.Value,
        YSequence sequence => sequence.Items.Select(From).ToList(),
        YMapping mapping => FromMapping(mapping, []),
        _ => null,
    };
}
