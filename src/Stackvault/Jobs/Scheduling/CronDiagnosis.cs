using System.Globalization;

namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// Says which field of a cron expression Cronos refused and why, for <c>config validate</c>: Cronos's own message
/// names no field. Only called after Cronos has refused the expression; it checks nothing Cronos accepts.
/// </summary>
internal static class CronDiagnosis
{
    private static readonly (string Name, int Min, int Max, string[]? Names)[] Fields =
    [
        ("minute", 0, 59, null),
        ("hour", 0, 23, null),
        ("day-of-month", 1, 31, null),
        ("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        ("day-of-week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ];

    /// <summary>The first field whose items are not values, names, ranges, steps or Cronos's specials; null if none is found.</summary>
    public static string? Explain(string[] fields)
    {
        for (var i = 0; i < Fields.Length && i < fields.Length; i++)
        {
            if (ExplainField(fields[i], Fields[i]) is { } problem)
            {
                return $"{Fields[i].Name} field: {problem}";
            }
        }

        return null;
    }

    private static string? ExplainField(string text, (string Name, int Min, int Max, string[]? Names) field)
    {
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0)
            {
                return "has an empty list item";
            }

            var slash = item.Split('/');
            if (slash.Length > 2)
            {
                return $"'{item}' has more than one '/'";
            }

            if (slash.Length == 2 && (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1 || step > field.Max - field.Min + 1))
            {
                return $"step '{slash[1]}' must be a number from 1 to {field.Max - field.Min + 1}";
            }

            if (slash[0] is "*" or "?" || slash[0].IndexOfAny(['L', 'W', '#', 'l', 'w']) >= 0)
            {
                continue;
            }

            foreach (var value in slash[0].Split('-'))
            {
                if (ExplainValue(value, field) is { } problem)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    private static string? ExplainValue(string value, (string Name, int Min, int Max, string[]? Names) field)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number < field.Min || number > field.Max ? $"{number} is out of range {field.Min}-{field.Max}" : null;
        }

        if (field.Names is { } names && names.Contains(value.ToUpperInvariant(), StringComparer.Ordinal))
        {
            return null;
        }

        return field.Names is { } n ? $"'{value}' is not a number or a name {n[0]}-{n[^1]}" : $"'{value}' is not a number";
    }
}
