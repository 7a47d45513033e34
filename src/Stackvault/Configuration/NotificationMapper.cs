using Stackvault.Notifications;

namespace Stackvault.Configuration;

/// <summary>Reads <c>notifications:</c> and checks each target's URL scheme, <c>on</c> statuses, jobs and templates.</summary>
internal static class NotificationMapper
{
    private static readonly string[] Keys = ["url", "url_file", "url_command", "on", "jobs", "template", "title", "timeout"];

    public static IReadOnlyDictionary<string, NotificationTarget> ReadAll(ConfigReader reader, YNode? node, IReadOnlySet<string> jobs)
    {
        var result = new Dictionary<string, NotificationTarget>(StringComparer.Ordinal);
        foreach (var (name, path, key, entry) in NamedSection.Entries(reader, node, "notifications"))
        {
            var map = reader.Mapping(entry, path, Keys)!;
            var prefix = "STACKVAULT_NOTIFICATION_" + ConfigLoader.EnvironmentName(name);
            var url = reader.Secret(map, path, "url", prefix);
            if (url is null)
            {
                reader.Problem(path, key, $"no url: set url, url_file or url_command, or ${prefix}_URL or ${prefix}_URL_FILE");
            }
            else if (url.Kind is SecretSourceKind.Inline or SecretSourceKind.Environment
                && !NotificationEndpoint.TryParse(url.Reveal(), out _, out var error))
            {
                // Only the value's problem is named, never the value (a URL holds tokens and passwords).
                reader.Problem(ConfigReader.Child(path, "url"), map["url"] ?? (YNode)map, (url.Kind == SecretSourceKind.Environment ? url.Source + ": " : string.Empty) + error);
            }

            var on = Statuses(reader, map, path);
            var jobNames = reader.StringList(map, path, "jobs");
            var jobItems = (map["jobs"] as YSequence)?.Items ?? [];
            for (var i = 0; i < jobNames.Count && i < jobItems.Count; i++)
            {
                if (!jobs.Contains(jobNames[i]))
                {
                    var suggestion = DidYouMean.Closest(jobNames[i], jobs);
                    reader.Problem(ConfigReader.Index(ConfigReader.Child(path, "jobs"), i), jobItems[i], $"unknown job '{jobNames[i]}'" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)"));
                }
            }

            var template = Template(reader, map, path, "template");
            var title = Template(reader, map, path, "title");
            var timeout = reader.Duration(map, path, "timeout");
            if (url is not null)
            {
                result[name] = new NotificationTarget(name, url, on, jobNames, template, title, timeout, key.Line);
            }
        }

        return result;
    }

    private static IReadOnlyList<NotificationStatus> Statuses(ConfigReader reader, YMapping map, string path)
    {
        if (map["on"] is null)
        {
            return NotificationTarget.DefaultOn;
        }

        var names = reader.StringList(map, path, "on", required: true);
        var items = (map["on"] as YSequence)?.Items ?? [];
        var statuses = new List<NotificationStatus>();
        for (var i = 0; i < names.Count && i < items.Count; i++)
        {
            if (JobNotification.TryParseStatus(names[i], out var status))
            {
                statuses.Add(status);
            }
            else
            {
                reader.Problem(ConfigReader.Index(ConfigReader.Child(path, "on"), i), items[i], "expected success, partial or failure");
            }
        }

        return [.. statuses.Distinct()];
    }

    private static string? Template(ConfigReader reader, YMapping map, string path, string key)
    {
        var text = reader.String(map, path, key);
        if (text is not null && NotificationTemplate.UnknownPlaceholders(text) is { Count: > 0 } unknown)
        {
            reader.Problem(ConfigReader.Child(path, key), map[key], $"unknown placeholder {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}: use {string.Join(", ", NotificationTemplate.Placeholders.Select(p => "{{" + p + "}}"))}");
        }

        return text;
    }
}
