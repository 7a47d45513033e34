using System.Globalization;

namespace Stackvault.Jobs.Scheduling;

/// <summary>
/// One of the five fields of a cron expression: its name, range and value names, and the parser of its text
/// (<c>*</c>, <c>?</c>, values, ranges <c>a-b</c>, steps <c>*/n</c>, <c>a-b/n</c>, <c>a/n</c>, lists <c>x,y</c>).
/// </summary>
internal sealed class CronField
{
    public static readonly CronField Minute = new("minute", 0, 59, null);
    public static readonly CronField Hour = new("hour", 0, 23, null);
    public static readonly CronField DayOfMonth = new("day-of-month", 1, 31, null);
    public static readonly CronField Month = new("month", 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]);

    /// <summary>0-7 (0 and 7 are Sunday), or SUN-SAT.</summary>
    public static readonly CronField DayOfWeek = new("day-of-week", 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);

    private readonly string[]? _names;

    private CronField(string name, int min, int max, string[]? names)
    {
        Name = name;
        Min = min;
        Max = max;
        _names = names;
    }

    public string Name { get; }

    public int Min { get; }

    public int Max { get; }

    /// <summary>The set bits of the values the field allows; throws <see cref="FormatException"/> naming the field.</summary>
    public ulong Parse(string text)
    {
        if (text.Length == 0)
        {
            throw Error("is empty");
        }

        ulong bits = 0;
        foreach (var item in text.Split(','))
        {
            bits |= ParseItem(item);
        }

        return bits;
    }

    private ulong ParseItem(string item)
    {
        if (item.Length == 0)
        {
            throw Error("has an empty list item");
        }

        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var range = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0)
        {
            var stepText = item[(slash + 1)..];
            if (!int.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1 || step > Max - Min + 1)
            {
                throw Error($"step '{stepText}' must be a number from 1 to {Max - Min + 1}");
            }
        }

        int low, high;
        if (range is "*" or "?")
        {
            (low, high) = (Min, Max);
        }
        else
        {
            var dash = range.IndexOf('-', StringComparison.Ordinal);
            low = Value(dash < 0 ? range : range[..dash]);
            high = dash < 0 ? (slash >= 0 ? Max : low) : Value(range[(dash + 1)..]);
            if (low > high)
            {
                throw Error($"range '{range}' runs backwards (write the smaller value first)");
            }
        }

        ulong bits = 0;
        for (var v = low; v <= high; v += step)
        {
            bits |= 1UL << v;
        }

        return bits;
    }

    private int Value(string text)
    {
        if (_names is not null)
        {
            var index = Array.FindIndex(_names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                return index + (Min == 1 ? 1 : 0);
            }
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            var names = _names is null ? string.Empty : $" or a name {_names[0]}-{_names[^1]}";
            throw Error($"'{text}' is not a number{names}");
        }

        return value < Min || value > Max ? throw Error($"{value} is out of range {Min}-{Max}") : value;
    }

    private FormatException Error(string detail) => new($"{Name} field: {detail}");
}
