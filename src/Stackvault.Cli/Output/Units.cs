using System.Globalization;

namespace Stackvault.Cli.Output;

/// <summary>Human formatting of sizes and durations.</summary>
internal static class Units
{
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : value.ToString("0.00", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>
    /// <c>m:ss</c> under an hour, <c>h:mm:ss</c> under a day, then days, hours and minutes (<c>1d 2h</c>, <c>8d</c>,
    /// <c>2d 0h 1m</c>): a span of days is never shown as its remainder of hours.
    /// </summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Duration(span.Negate());
        }

        if (span.TotalDays >= 1)
        {
            var days = (long)span.TotalDays;
            var text = string.Create(CultureInfo.InvariantCulture, $"{days}d");
            if (span.Minutes > 0)
            {
                return text + string.Create(CultureInfo.InvariantCulture, $" {span.Hours}h {span.Minutes}m");
            }

            return span.Hours > 0 ? text + string.Create(CultureInfo.InvariantCulture, $" {span.Hours}h") : text;
        }

        return span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : span.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
