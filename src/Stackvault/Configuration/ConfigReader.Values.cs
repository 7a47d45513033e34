namespace Stackvault.Configuration;

/// <summary>Checked values: URLs, absolute paths, commands and secrets.</summary>
internal sealed partial class ConfigReader
{
    /// <summary>An absolute http(s) URL without user information (credentials never go in URLs).</summary>
    public Uri? HttpUrl(YMapping map, string path, string key, bool required = false)
    {
        var text = String(map, path, key, required);
        return text is null ? null : HttpUrl(text, Child(path, key), map[key]!);
    }

    public Uri? HttpUrl(string text, string path, YNode node)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            Problem(path, node, "not an absolute http(s) URL");
            return null;
        }

        if (uri.UserInfo.Length > 0)
        {
            Problem(path, node, "must not contain user information: credentials never go in a URL");
            return null;
        }

        return uri;
    }

    public string? AbsolutePath(YMapping map, string path, string key, bool required = false)
    {
        var text = String(map, path, key, required);
        return text is null ? null : AbsolutePath(text, Child(path, key), map[key]!);
    }

    public string? AbsolutePath(string text, string path, YNode node)
    {
        if (!text.StartsWith('/'))
        {
            Problem(path, node, "must be an absolute path (starting with /)");
            return null;
        }

        return text;
    }

    public IReadOnlyList<string> AbsolutePaths(YMapping map, string path, string key, bool required = false)
    {
        var list = StringList(map, path, key, required);
        var sequence = map[key] as YSequence;
        var result = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            if (AbsolutePath(list[i], Index(Child(path, key), i), sequence?.Items[i] ?? map) is { } ok)
            {
                result.Add(ok);
            }
        }

        return result;
    }

    /// <summary>A command as a list (argv) or a string (run by /bin/sh -c).</summary>
    public CommandSpec? Command(YMapping map, string path, string key, bool required = false)
    {
        var node = map[key];
        if (node is YSequence)
        {
            var argv = StringList(map, path, key, required);
            if (argv.Count == 0)
            {
                Problem(Child(path, key), node, "must not be empty");
                return null;
            }

            return CommandSpec.Argv(argv);
        }

        var text = String(map, path, key, required);
        return text is null ? null : CommandSpec.ShellCommand(text);
    }

    /// <summary>
    /// The secret <paramref name="key"/>: inline, <c>key_file</c> or <c>key_command</c> (only one), then replaced by
    /// <c>ENV_KEY</c> or <c>ENV_KEY_FILE</c> from the environment when set.
    /// </summary>
    public SecretValue? Secret(YMapping map, string path, string key, string environmentPrefix)
    {
        var inline = String(map, path, key);
        var file = AbsolutePath(map, path, key + "_file");
        var command = Command(map, path, key + "_command");
        var given = new[] { inline is null ? null : key, file is null ? null : key + "_file", command is null ? null : key + "_command" }.OfType<string>().ToList();
        if (given.Count > 1)
        {
            Problem(Child(path, given[1]), map[given[1]], $"give only one of {string.Join(", ", given)}");
        }

        var variable = environmentPrefix + "_" + key.ToUpperInvariant();
        var fromEnvironment = environment(variable);
        var fileFromEnvironment = environment(variable + "_FILE");
        if (!string.IsNullOrEmpty(fromEnvironment) && !string.IsNullOrEmpty(fileFromEnvironment))
        {
            Problem(Child(path, key), map, $"both ${variable} and ${variable}_FILE are set: set only one");
        }

        if (!string.IsNullOrEmpty(fileFromEnvironment))
        {
            return fileFromEnvironment.StartsWith('/')
                ? SecretValue.FromFile(fileFromEnvironment)
                : Fail(Child(path, key), map, $"${variable}_FILE must be an absolute path");
        }

        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return SecretValue.FromEnvironment(variable, fromEnvironment);
        }

        return inline is not null ? SecretValue.Inline(inline)
            : file is not null ? SecretValue.FromFile(file)
            : command is not null ? SecretValue.FromCommand(command)
            : null;
    }

    private SecretValue? Fail(string path, YNode node, string message)
    {
        Problem(path, node, message);
        return null;
    }
}
