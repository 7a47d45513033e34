using Stackvault.Jobs.Scheduling;

namespace Stackvault.Tests.Jobs.Scheduling;

/// <summary>Cron parsing and matching: ranges, lists, steps, names, the Vixie day rule, month ends, Feb 29, bad fields.</summary>
public sealed class CronExpressionTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static DateTimeOffset U(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> Next(string cron, DateTimeOffset from, int count, TimeZoneInfo? zone = null)
    {
        var expression = CronExpression.Parse(cron);
        var result = new List<DateTimeOffset>();
        for (var t = from; result.Count < count;)
        {
            t = expression.NextAfter(t, zone ?? Utc)!.Value;
            result.Add(t);
        }

        return result;
    }

    [Fact]
    public void NextAfter_StepsRangesAndLists_AreExpanded()
    {
        Assert.Equal([U(2025, 1, 1, 0, 15), U(2025, 1, 1, 0, 30), U(2025, 1, 1, 0, 45), U(2025, 1, 1, 1, 0)], Next("*/15 * * * *", U(2025, 1, 1), 4));
        Assert.Equal([U(2025, 1, 1, 9, 5), U(2025, 1, 1, 11, 5), U(2025, 1, 1, 13, 5), U(2025, 1, 1, 17, 5)], Next("5 9-13/2,17 * * *", U(2025, 1, 1, 8), 4));
        Assert.Equal([U(2025, 1, 1, 0, 50), U(2025, 1, 1, 0, 55), U(2025, 1, 1, 1, 50)], Next("50/5 * * * *", U(2025, 1, 1, 0, 49), 3));
    }

    [Fact]
    public void NextAfter_MonthAndWeekdayNames_AreCaseInsensitive_And7IsSunday()
    {
        // 2025-03-02 is a Sunday.
        Assert.Equal([U(2025, 3, 2, 4), U(2025, 3, 9, 4)], Next("0 4 * mar sun", U(2025, 2, 1), 2));
        Assert.Equal([U(2025, 3, 2, 4), U(2025, 3, 9, 4)], Next("0 4 * 3 7", U(2025, 2, 1), 2));
        Assert.Equal([U(2025, 1, 6), U(2025, 1, 7), U(2025, 1, 8), U(2025, 1, 9), U(2025, 1, 10), U(2025, 1, 13)], Next("0 0 ? JAN-DEC MON-FRI", U(2025, 1, 4), 6));
    }

    [Fact]
    public void NextAfter_BothDayFieldsRestricted_MatchesEither_AsVixieCron()
    {
        // The 13th OR any Friday (2025-06-06 and 2025-06-13 are Fridays).
        Assert.Equal([U(2025, 6, 6), U(2025, 6, 13), U(2025, 6, 20), U(2025, 6, 27), U(2025, 7, 4)], Next("0 0 13 * 5", U(2025, 6, 1), 5));
        // With a star in day-of-month, only the weekday counts (AND).
        Assert.Equal([U(2025, 6, 6), U(2025, 6, 13)], Next("0 0 * * 5", U(2025, 6, 1), 2));
        // A step starting with * is a star for this rule (Vixie): the 1st, 3rd, ... that are also Fridays.
        Assert.Equal([U(2025, 6, 13), U(2025, 6, 27)], Next("0 0 */2 * fri", U(2025, 6, 1), 2));
    }

    [Fact]
    public void NextAfter_31st_OnlyInMonthsThatHaveIt()
    {
        Assert.Equal([U(2025, 1, 31, 12), U(2025, 3, 31, 12), U(2025, 5, 31, 12), U(2025, 7, 31, 12), U(2025, 8, 31, 12)], Next("0 12 31 * *", U(2025, 1, 1), 5));
        Assert.Equal([U(2025, 4, 30), U(2025, 5, 30), U(2025, 6, 30)], Next("0 0 30 * *", U(2025, 3, 30, 1), 3));
    }

    [Fact]
    public void NextAfter_Feb29_OnlyInLeapYears()
    {
        Assert.Equal([U(2028, 2, 29, 6), U(2032, 2, 29, 6), U(2036, 2, 29, 6)], Next("0 6 29 2 *", U(2025, 3, 1), 3));
    }

    [Theory]
    [InlineData("61 * * * *", "minute field: 61 is out of range 0-59")]
    [InlineData("* 24 * * *", "hour field: 24 is out of range 0-23")]
    [InlineData("* * 0 * *", "day-of-month field: 0 is out of range 1-31")]
    [InlineData("* * * 13 *", "month field: 13 is out of range 1-12")]
    [InlineData("* * * * 8", "day-of-week field: 8 is out of range 0-7")]
    [InlineData("* * * FOO *", "month field: 'FOO' is not a number or a name JAN-DEC")]
    [InlineData("*/0 * * * *", "minute field: step '0' must be a number from 1 to 60")]
    [InlineData("1,,2 * * * *", "minute field: has an empty list item")]
    [InlineData("0 0 30 2 *", "day-of-month field: no chosen month has any of these days")]
    [InlineData("0 3 * *", "expected 5 cron fields")]
    [InlineData("0 3 * * * *", "expected 5 cron fields")]
    [InlineData("-1 * * * *", "minute field: '' is not a number")]
    public void Parse_BadField_IsRejectedNamingTheField(string cron, string expected)
    {
        var error = Assert.Throws<FormatException>(() => CronExpression.Parse(cron));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NextAfter_ReversedRange_Wraps_AsCronosReadsIt()
    {
        Assert.Equal([U(2025, 1, 1, 23), U(2025, 1, 2, 0), U(2025, 1, 2, 1), U(2025, 1, 2, 23)], Next("0 23-1 * * *", U(2025, 1, 1, 22), 4));
    }

    [Fact]
    public void NextAfter_Feb29OrMonday_RunsOnFebruaryMondaysToo()
    {
        Assert.Equal(U(2026, 2, 2), CronExpression.Parse("0 0 29 2 mon").NextAfter(U(2025, 3, 1), Utc));
    }
}
