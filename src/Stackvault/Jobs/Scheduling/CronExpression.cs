using Cronos;
using Library = Cronos.CronExpression;

namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// A 5-field cron expression (minute hour day-of-month month day-of-week), parsed and evaluated by Cronos: ranges,
/// lists, steps, names (JAN-DEC, SUN-SAT, any case), <c>?</c>, 7 for Sunday, Cronos's <c>L</c>, <c>W</c> and
/// <c>#</c>, and wrapping ranges (<c>22-2</c>). Time zones and daylight saving are Cronos's: a time skipped by
/// spring-forward runs at the end of the gap; a fixed time repeated by fall-back runs once, while an interval (a
/// star or step in the hour) keeps running through the repeated hour.
/// This thin layer adds Vixie cron's day rule, which Cronos leaves out (it ANDs the day fields): when both day fields
/// are restricted (neither starts with <c>*</c> or <c>?</c>) a day matches if EITHER matches. It also names the bad
/// field when Cronos refuses an expression (<see cref="CronDiagnosis"/>).
/// </summary>
public sealed class CronExpression
{
    private readonly Library[] _alternatives;

    private CronExpression(string text, Library[] alternatives) => (Text, _alternatives) = (text, alternatives);

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

        var bothDays = fields[2][0] is not ('*' or '?') && fields[4][0] is not ('*' or '?');
        string[] forms = bothDays
            ? [Join(fields, dayOfMonth: fields[2], dayOfWeek: "*"), Join(fields, dayOfMonth: "*", dayOfWeek: fields[4])]
            : [string.Join(' ', fields)];
        Library[] alternatives;
        try
        {
            alternatives = [.. forms.Select(f => Library.Parse(f, CronFormat.Standard))];
        }
        catch (CronFormatException e)
        {
            throw new FormatException(CronDiagnosis.Explain(fields) ?? "not a cron expression: " + e.Message);
        }

        var expression = new CronExpression(text, alternatives);
        var probe = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return expression.NextAfter(probe, TimeZoneInfo.Utc) is null
            ? throw new FormatException("day-of-month field: no chosen month has any of these days, so the schedule never runs")
            : expression;
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

    /// <summary>The first due instant strictly after <paramref name="after"/> in <paramref name="zone"/>, or null when none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        DateTimeOffset? first = null;
        foreach (var alternative in _alternatives)
        {
            if (alternative.GetNextOccurrence(after, zone, inclusive: false) is { } next && (first is null || next < first))
            {
                first = next;
            }
        }

        return first;
    }

    public override string ToString() => Text;

    private static string Join(string[] fields, string dayOfMonth, string dayOfWeek) =>
        string.Join(' ', fields[0], fields[1], dayOfMonth, fields[3], dayOfWeek);
}
