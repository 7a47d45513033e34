namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// A 5-field cron expression (minute hour day-of-month month day-of-week) with ranges, lists, steps, names
/// (JAN-DEC, SUN-SAT), <c>?</c> as <c>*</c>, and Vixie cron's day rule: when both day fields are restricted (neither
/// starts with <c>*</c> or <c>?</c>) a day matches if EITHER matches, otherwise both must match.
/// </summary>
public sealed partial class CronExpression
{
    private readonly ulong _minutes;
    private readonly ulong _hours;
    private readonly ulong _days;
    private readonly ulong _months;
    private readonly ulong _weekdays;
    private readonly bool _dayStar;
    private readonly bool _weekdayStar;

    private CronExpression(string text, ulong minutes, ulong hours, ulong days, ulong months, ulong weekdays, bool dayStar, bool weekdayStar)
    {
        Text = text;
        (_minutes, _hours, _days, _months, _weekdays, _dayStar, _weekdayStar) = (minutes, hours, days, months, weekdays, dayStar, weekdayStar);
    }

    public string Text { get; }

    /// <summary>Parses the expression; a bad field throws <see cref="FormatException"/> whose message names the field.</summary>
    public static CronExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            throw new FormatException($"expected 5 cron fields (minute hour day-of-month month day-of-week), found {fields.Length}");
        }

        var minutes = CronField.Minute.Parse(fields[0]);
        var hours = CronField.Hour.Parse(fields[1]);
        var days = CronField.DayOfMonth.Parse(fields[2]);
        var months = CronField.Month.Parse(fields[3]);
        var weekdays = CronField.DayOfWeek.Parse(fields[4]);
        if ((weekdays & (1UL << 7)) != 0)
        {
            weekdays = (weekdays | 1UL) & ~(1UL << 7); // 7 is Sunday too
        }

        var dayStar = fields[2][0] is '*' or '?';
        var weekdayStar = fields[4][0] is '*' or '?';
        if (!weekdayStar || dayStar || CanEverMatch(days, months))
        {
            return new CronExpression(text, minutes, hours, days, months, weekdays, dayStar, weekdayStar);
        }

        throw new FormatException("day-of-month field: no chosen month has any of these days, so the schedule never runs");
    }

    public static bool TryParse(string text, out CronExpression? expression, out string? error)
    {
        try
        {
            (expression, error) = (Parse(text), null);
            return true;
        }
        catch (FormatException e)
        {
            (expression, error) = (null, e.Message);
            return false;
        }
    }

    /// <summary>Whether the local wall-clock minute <paramref name="local"/> is one the expression names.</summary>
    public bool Matches(DateTime local) =>
        Has(_months, local.Month) && DayMatches(local) && Has(_hours, local.Hour) && Has(_minutes, local.Minute);

    public override string ToString() => Text;

    private static bool Has(ulong bits, int value) => (bits & (1UL << value)) != 0;

    private bool DayMatches(DateTime local)
    {
        var day = Has(_days, local.Day);
        var weekday = Has(_weekdays, (int)local.DayOfWeek);
        return _dayStar || _weekdayStar ? day && weekday : day || weekday;
    }

    /// <summary>Days 1-29 exist in every month (29 in February of leap years); 30 in all but February; 31 in seven.</summary>
    private static bool CanEverMatch(ulong days, ulong months)
    {
        for (var month = 1; month <= 12; month++)
        {
            if (!Has(months, month))
            {
                continue;
            }

            var longest = month == 2 ? 29 : DateTime.DaysInMonth(2001, month);
            for (var day = 1; day <= longest; day++)
            {
                if (Has(days, day))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
