namespace Stackvault.Configuration;

/// <summary>
/// Schedules and time zones. Cron expressions are parsed by <see cref="Jobs.Scheduling.CronExpression"/> (Cronos, with the
/// bad field named); macros and <c>@every &lt;duration&gt;</c> are checked fully.
/// </summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] Macros = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

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

        if (!Jobs.Scheduling.CronExpression.TryParse(text, out _, out var error))
        {
            Problem(keyPath, node, $"not a schedule: {error}; use 5 cron fields (minute hour day-of-month month day-of-week), a macro such as @daily, or '@every 30s'");
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
}
