using Stackvault.Configuration;

namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// When something runs: a cron expression or macro in a time zone, or a fixed interval (<c>@every 30s</c>, counted
/// from the previous due time). Macros: @hourly, @daily/@midnight, @weekly, @monthly, @yearly/@annually.
/// </summary>
public sealed class Schedule
{
    private static readonly Dictionary<string, string> Macros = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    private Schedule(string text, CronExpression? cron, TimeSpan? every, TimeZoneInfo zone)
    {
        (Text, Cron, Every, Zone) = (text, cron, every, zone);
    }

    public string Text { get; }

    public CronExpression? Cron { get; }

    public TimeSpan? Every { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses a schedule; throws <see cref="FormatException"/> (naming the cron field) or for an unknown zone.</summary>
    public static Schedule Parse(string text, string? timeZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        var zone = ZoneOf(timeZone);
        text = text.Trim();
        if (text.StartsWith("@every", StringComparison.Ordinal))
        {
            var rest = text["@every".Length..].Trim();
            return DurationFormat.TryParse(rest, out var every) && every > TimeSpan.Zero
                ? new Schedule(text, null, every, zone)
                : throw new FormatException("'@every' needs a duration longer than zero, e.g. '@every 30s'");
        }

        if (text.StartsWith('@'))
        {
            return Macros.TryGetValue(text, out var cron)
                ? new Schedule(text, CronExpression.Parse(cron), null, zone)
                : throw new FormatException($"unknown schedule macro: use {string.Join(", ", Macros.Keys)} or '@every <duration>'");
        }

        return new Schedule(text, CronExpression.Parse(text), null, zone);
    }

    public static Schedule From(ScheduleConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Parse(config.Expression, config.TimeZone);
    }

    /// <summary>The first due instant strictly after <paramref name="after"/> (null when a cron never fires again).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) =>
        Every is { } every ? after + every : Cron!.NextAfter(after, Zone);

    /// <summary>Due instants in (<paramref name="after"/>, <paramref name="until"/>], at most <paramref name="max"/>.</summary>
    public int CountDue(DateTimeOffset after, DateTimeOffset until, int max = 10_000)
    {
        var count = 0;
        for (var t = NextAfter(after); t is { } due && due <= until && count < max; t = NextAfter(due))
        {
            count++;
        }

        return count;
    }

    public override string ToString() => Text;

    private static TimeZoneInfo ZoneOf(string? id) =>
        id is null ? TimeZoneInfo.Local
        : TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone
        : throw new FormatException($"unknown time zone '{id}': use an IANA id such as UTC or Europe/Berlin");
}
