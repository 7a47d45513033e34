namespace Stackvault.Configuration;

/// <summary>Reads <c>jobs:</c> and checks their references to repositories and components.</summary>
internal static class JobMapper
{
    private static readonly string[] Keys =
        ["repository", "components", "tags", "schedule", "time_zone", "jitter", "timeout", "retention", "copy_to", "rpo", "rto", "verify", "drill", "hooks", DockerLabelHook.JobKey];

    private static readonly string[] RetentionKeys = ["keep_last", "keep_hourly", "keep_daily", "keep_weekly", "keep_monthly", "keep_yearly", "keep_within"];
    private static readonly string[] CheckKeys = ["schedule", "read_data_subset", "timeout"];

    public static IReadOnlyDictionary<string, JobConfig> ReadAll(ConfigReader reader, YNode? node, IReadOnlySet<string> repositories, IReadOnlySet<string> components)
    {
        var result = new Dictionary<string, JobConfig>(StringComparer.Ordinal);
        foreach (var (name, path, key, entry) in NamedSection.Entries(reader, node, "jobs"))
        {
            var map = reader.Mapping(entry, path, Keys)!;
            var repository = reader.String(map, path, "repository", required: true);
            if (repository is not null && !repositories.Contains(repository))
            {
                reader.Problem(ConfigReader.Child(path, "repository"), map["repository"], UnknownName("repository", repository, repositories));
            }

            var members = References(reader, map, path, "components", components, "component", required: true);
            var copyTo = References(reader, map, path, "copy_to", repositories, "repository", required: false);
            if (repository is not null && copyTo.Contains(repository))
            {
                reader.Problem(ConfigReader.Child(path, "copy_to"), map["copy_to"], "copy_to must not name the job's own repository");
            }

            var timeZone = reader.TimeZone(map, path, "time_zone");
            var job = new JobConfig(
                name,
                key.Line,
                repository ?? string.Empty,
                members,
                reader.StringList(map, path, "tags"),
                reader.Schedule(map, path, "schedule", timeZone),
                reader.Duration(map, path, "jitter", positive: false),
                reader.Duration(map, path, "timeout"),
                Retention(reader, map["retention"], ConfigReader.Child(path, "retention")),
                copyTo,
                reader.Duration(map, path, "rpo"),
                Check(reader, map["verify"], ConfigReader.Child(path, "verify"), timeZone),
                Check(reader, map["drill"], ConfigReader.Child(path, "drill"), timeZone),
                HookMapper.Read(reader, map["hooks"], ConfigReader.Child(path, "hooks")));
            job = job with { Rto = RtoTargets.Read(reader, map, path) };
            if (reader.String(map, path, DockerLabelHook.JobKey) is { } group)
            {
                job = job with { Hooks = DockerLabelHook.Around(job.Hooks, group, map[DockerLabelHook.JobKey]!.Line) };
            }

            result[name] = job;
        }

        return result;
    }

    private static List<string> References(ConfigReader reader, YMapping map, string path, string key, IReadOnlySet<string> known, string what, bool required)
    {
        var names = reader.StringList(map, path, key, required);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = (map[key] as YSequence)?.Items ?? [];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not YScalar { IsNull: false, Value.Length: > 0 } item)
            {
                continue; // reported by StringList
            }

            var itemPath = ConfigReader.Index(ConfigReader.Child(path, key), i);
            if (!known.Contains(item.Value))
            {
                reader.Problem(itemPath, item, UnknownName(what, item.Value, known));
            }
            else if (!seen.Add(item.Value))
            {
                reader.Problem(itemPath, item, $"{what} listed twice");
            }
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string UnknownName(string what, string name, IReadOnlySet<string> known)
    {
        var suggestion = DidYouMean.Closest(name, known);
        return $"unknown {what} '{name}'" + (suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)");
    }

    /// <summary>A <c>retention:</c> mapping (of a job or of a repository); null when absent.</summary>
    internal static RetentionConfig? Retention(ConfigReader reader, YNode? node, string path)
    {
        var map = reader.Mapping(node, path, RetentionKeys);
        if (map is null)
        {
            return null;
        }

        var retention = new RetentionConfig(
            reader.NonNegativeInt(map, path, "keep_last"),
            reader.NonNegativeInt(map, path, "keep_hourly"),
            reader.NonNegativeInt(map, path, "keep_daily"),
            reader.NonNegativeInt(map, path, "keep_weekly"),
            reader.NonNegativeInt(map, path, "keep_monthly"),
            reader.NonNegativeInt(map, path, "keep_yearly"),
            reader.Duration(map, path, "keep_within"));
        var keepsSomething = new[] { retention.KeepLast, retention.KeepHourly, retention.KeepDaily, retention.KeepWeekly, retention.KeepMonthly, retention.KeepYearly }.Any(n => n > 0)
            || retention.KeepWithin is not null;
        var anyMalformed = map.Entries.Any(e => RetentionKeys.Contains(e.Key.Value)) && reader.Problems.Any(p => p.YamlPath.StartsWith(path + ".", StringComparison.Ordinal));
        if (!keepsSomething && !anyMalformed)
        {
            reader.Problem(path, map, "keeps nothing: set at least one keep_* rule above 0 (an empty policy would delete every snapshot)");
        }

        return retention;
    }

    private static CheckConfig? Check(ConfigReader reader, YNode? node, string path, string? timeZone)
    {
        var map = reader.Mapping(node, path, CheckKeys);
        if (map is null)
        {
            return null;
        }

        if (map["schedule"] is null)
        {
            reader.Problem(ConfigReader.Child(path, "schedule"), map, "missing required key 'schedule'");
        }

        var schedule = reader.Schedule(map, path, "schedule", timeZone);
        var subset = reader.String(map, path, "read_data_subset");
        if (subset is not null && !IsSubset(subset))
        {
            reader.Problem(ConfigReader.Child(path, "read_data_subset"), map["read_data_subset"], "expected n/t (e.g. 1/10) or a percentage (e.g. 5%)");
        }

        var timeout = reader.Duration(map, path, "timeout");
        return schedule is null ? null : new CheckConfig(schedule, subset, timeout);
    }

    private static bool IsSubset(string text)
    {
        if (text.EndsWith('%'))
        {
            return double.TryParse(text[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var p) && p > 0 && p <= 100;
        }

        var parts = text.Split('/');
        return parts.Length == 2 && int.TryParse(parts[0], out var n) && int.TryParse(parts[1], out var t) && n >= 1 && t >= 1 && n <= t;
    }
}
