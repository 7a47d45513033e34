using System.Globalization;
using System.Text.RegularExpressions;
using Stackvault.Errors;

namespace Stackvault.Maintenance.Retention;

/// <summary>A calendar duration such as <c>7d</c>, <c>36h</c> or <c>1y2m</c> (y years, m months, d days, h hours).</summary>
public readonly partial record struct KeepDuration(int Years, int Months, int Days, int Hours)
{
    public bool IsZero => Years == 0 && Months == 0 && Days == 0 && Hours == 0;

    /// <summary>Parses <c>[Ny][Nm][Nd][Nh]</c> (at least one part, in that order); throws a usage error otherwise.</summary>
    public static KeepDuration Parse(string text)
    {
        var match = Pattern().Match(text ?? string.Empty);
        if (!match.Success || text!.Length == 0)
        {
            throw new UsageException($"invalid duration '{text}': use e.g. 7d, 36h or 1y2m (y years, m months, d days, h hours)");
        }

        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return new KeepDuration(Part("y"), Part("m"), Part("d"), Part("h"));
    }

    /// <summary>The earliest time still within the duration before <paramref name="newest"/>.</summary>
    public DateTimeOffset Before(DateTimeOffset newest) =>
        newest.AddYears(-Years).AddMonths(-Months).AddDays(-Days).AddHours(-Hours);

    public override string ToString() =>
        IsZero ? "0h" : string.Concat(Years > 0 ? $"{Years}y" : null, Months > 0 ? $"{Months}m" : null, Days > 0 ? $"{Days}d" : null, Hours > 0 ? $"{Hours}h" : null);

    [GeneratedRegex(@"^(?:(?<y>\d{1,4})y)?(?:(?<m>\d{1,4})m)?(?:(?<d>\d{1,5})d)?(?:(?<h>\d{1,6})h)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
