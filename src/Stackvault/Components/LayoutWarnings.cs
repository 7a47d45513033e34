namespace Stackvault.Components;

/// <summary>
/// <c>config validate</c>'s layout warnings: a data directory that is missing, empty, or holds none of what the engine
/// writes is reported with what was expected, never taken for an empty one.
/// </summary>
internal static class LayoutWarnings
{
    /// <summary>
    /// Warnings for <paramref name="directory"/> (the <paramref name="key"/> of an engine) when none of its top-level
    /// names satisfies <paramref name="recognised"/>; <paramref name="expected"/> says what a real one holds.
    /// </summary>
    public static IEnumerable<string> Directory(string key, string directory, Func<string, bool> recognised, string expected)
    {
        string[] names;
        try
        {
            if (!System.IO.Directory.Exists(directory))
            {
                return [$"{key} {directory} does not exist here (expected {expected})"];
            }

            names = [.. System.IO.Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"{key} {directory} cannot be read ({e.Message}); expected {expected}"];
        }

        if (names.Length == 0)
        {
            return [$"{key} {directory} is empty (expected {expected}): a backup would store nothing"];
        }

        return names.Any(recognised) ? [] : [$"{key} {directory} is not a recognised layout: it holds {string.Join(", ", names.Order(StringComparer.Ordinal).Take(5))}; expected {expected}"];
    }
}
