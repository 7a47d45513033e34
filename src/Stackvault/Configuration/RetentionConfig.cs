namespace Stackvault.Configuration;

/// <summary>
/// Which snapshots a job keeps: the last N, N per hour/day/week/month/year, and everything within a duration.
/// Null means "not set". At least one rule must keep something: an empty policy would delete everything.
/// </summary>
public sealed record RetentionConfig(
    int? KeepLast,
    int? KeepHourly,
    int? KeepDaily,
    int? KeepWeekly,
    int? KeepMonthly,
    int? KeepYearly,
    TimeSpan? KeepWithin);
