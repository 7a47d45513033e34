namespace Stackvault.Configuration;

/// <summary>Checked values: URLs, absolute paths, commands, secrets and schedules.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

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

    public ScheduleConfig? Schedule(YMapping map, string path, string key, string? timeZone)
    {
        var text = String(map, path, key);
        if (text is null)
        {
            return null;
        }

        var keyPath = Child(path, key);
        var node = map[key]!;
        if (text.StartsWith("@every", StringComparison.Ordinal))
        {
            var rest = text["@every".Length..].Trim();
            if (!DurationFormat.TryParse(rest, out var every) || every <= TimeSpan.Zero)
            {
                Problem(keyPath, node, "'@every' needs a duration longer than zero, e.g. '@every 30s'");
                return null;
            }

            return new ScheduleConfig(text, every, timeZone);
        }

        if (text.StartsWith('@'))
        {
            if (!Macros.Contains(text))
            {
                Problem(keyPath, node, $"unknown schedule macro: use {string.Join(", ", Macros)} or '@every <duration>'");
                return null;
            }

            return new ScheduleConfig(text, null, timeZone);
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5 || fields.Any(f => !f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '/' or ',' or '-' or '?')))
        {
            Problem(keyPath, node, "not a schedule: use 5 cron fields (minute hour day-of-month month day-of-week), a macro such as @daily, or '@every 30s'");
            return null;
        }

        return new ScheduleConfig(text, null, timeZone);
    }

    public string? TimeZone(YMapping map, string path, string key)
    {
        var text = String(map, path, key);
        if (text is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(text, out _))
        {
            Problem(Child(path, key), map[key], "unknown time zone: use an IANA id such as UTC or Europe/Berlin");
            return null;
        }

        return text;
    }

    private SecretValue? Fail(string path, YNode node, string message)
    {
        Problem(path, node, message);
        return null;
    }
}
