namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// The next due instant in a time zone. Matching is on local wall-clock minutes; a local time skipped by a
/// spring-forward transition runs once, at the first valid instant after the gap; a local time repeated by a
/// fall-back transition runs once, at its first occurrence.
/// </summary>
public sealed partial class CronExpression
{
    private const int SearchYears = 30; // Feb 29 on a given weekday can be 28 years away

    /// <summary>The first due instant strictly after <paramref name="after"/>, or null when none within 30 years.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(after, zone).DateTime;
        var candidate = NextLocal(local);
        while (candidate is { } c)
        {
            var instant = ToInstant(c, zone);
            if (instant > after)
            {
                return instant;
            }

            candidate = NextLocal(c);
        }

        return null;
    }

    /// <summary>The first matching local minute strictly after <paramref name="local"/> (kind Unspecified).</summary>
    public DateTime? NextLocal(DateTime local)
    {
        var t = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, DateTimeKind.Unspecified).AddMinutes(1);
        var limit = t.Year + SearchYears;
        while (t.Year <= limit)
        {
            if (!Has(_months, t.Month))
            {
                t = new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
            }
            else if (!DayMatches(t))
            {
                t = t.Date.AddDays(1);
            }
            else if (!Has(_hours, t.Hour))
            {
                t = t.Date.AddHours(t.Hour + 1);
            }
            else if (!Has(_minutes, t.Minute))
            {
                t = t.AddMinutes(1);
            }
            else
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>A local wall-clock time as an instant: gaps move to the gap's end, repeats take the first occurrence.</summary>
    internal static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(local))
        {
            var valid = local;
            for (var i = 0; i < 3 * 24 * 60 && zone.IsInvalidTime(valid); i++)
            {
                valid = valid.AddMinutes(1);
            }

            local = valid;
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new DateTimeOffset(local, offset).ToUniversalTime();
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
