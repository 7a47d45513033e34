namespace Stackvault.Configuration;

/// <summary>Reads <c>repositories:</c>.</summary>
internal static class RepositoryMapper
{
    private static readonly string[] Keys = ["url", "password", "password_file", "password_command", "retention"];

    public static IReadOnlyDictionary<string, RepositoryConfigEntry> ReadAll(ConfigReader reader, YNode? node)
    {
        var result = new Dictionary<string, RepositoryConfigEntry>(StringComparer.Ordinal);
        foreach (var (name, path, key, entry) in NamedSection.Entries(reader, node, "repositories"))
        {
            var map = reader.Mapping(entry, path, Keys)!;
            var url = reader.String(map, path, "url", required: true);
            if (url is not null && Storage.StorageSchemes.RepositoryProblem(url) is { } problem)
            {
                reader.Problem(ConfigReader.Child(path, "url"), map["url"], problem);
                url = null;
            }

            var prefix = "STACKVAULT_REPOSITORY_" + ConfigLoader.EnvironmentName(name);
            var password = reader.Secret(map, path, "password", prefix);
            if (password is null)
            {
                reader.Problem(path, key, $"no password: set password, password_file or password_command, or ${prefix}_PASSWORD or ${prefix}_PASSWORD_FILE");
            }

            if (url is not null)
            {
                result[name] = new RepositoryConfigEntry(name, url, password, key.Line)
                {
                    Retention = JobMapper.Retention(reader, map["retention"], ConfigReader.Child(path, "retention")),
                };
            }
        }

        return result;
    }
}
