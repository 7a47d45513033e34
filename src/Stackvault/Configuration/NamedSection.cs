namespace Stackvault.Configuration;

/// <summary>Walks a section of named entries (repositories, components, jobs), checking names.</summary>
internal static class NamedSection
{
    /// <summary>The names a section defines, valid or not, so references to a broken entry are not "unknown".</summary>
    public static IReadOnlySet<string> Names(YNode? node) =>
        node is YMapping map ? map.Entries.Select(e => e.Key.Value).ToHashSet(StringComparer.Ordinal) : new HashSet<string>();

    public static IEnumerable<(string Name, string Path, YScalar Key, YMapping Map)> Entries(ConfigReader reader, YNode? node, string section)
    {
        var sectionMap = reader.Mapping(node, section, allowed: null, $"a mapping of names to {section}");
        if (sectionMap is null)
        {
            yield break;
        }

        var environmentNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in sectionMap.Entries)
        {
            var path = ConfigReader.Child(section, key.Value);
            if (!seen.Add(key.Value))
            {
                continue; // reported as a duplicate key
            }

            if (key.Value.Length == 0 || !key.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || !char.IsAsciiLetterOrDigit(key.Value[0]))
            {
                reader.Problem(path, key, "a name must start with a letter or digit and hold only letters, digits, '_', '-' and '.'");
                continue;
            }

            var environmentName = ConfigLoader.EnvironmentName(key.Value);
            if (environmentNames.TryGetValue(environmentName, out var other))
            {
                reader.Problem(path, key, $"the name clashes with '{other}': both give the environment name {environmentName}");
            }

            environmentNames.TryAdd(environmentName, key.Value);
            if (section == "components" && environmentName.StartsWith("REPOSITORY_", StringComparison.Ordinal))
            {
                reader.Problem(path, key, "a component name must not start with 'repository': its STACKVAULT_REPOSITORY_* variables would be a repository's");
            }

            if (value is not YMapping map)
            {
                reader.Problem(path, value, "expected a mapping");
                continue;
            }

            yield return (key.Value, path, key, map);
        }
    }
}
