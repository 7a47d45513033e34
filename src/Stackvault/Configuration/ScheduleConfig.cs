namespace Stackvault.Configuration;

/// <summary>
/// When something runs: a 5-field cron expression, a macro (<c>@hourly</c>, <c>@daily</c>, <c>@weekly</c>,
/// <c>@monthly</c>, <c>@yearly</c>), or <c>@every 30s</c> (then <see cref="Every"/> is set), in a time zone
/// (an IANA id; null means the host's local zone). <see cref="Jobs.Scheduling.Schedule.From"/> makes it runnable.
/// </summary>
public sealed record ScheduleConfig(string Expression, TimeSpan? Every, string? TimeZone);
