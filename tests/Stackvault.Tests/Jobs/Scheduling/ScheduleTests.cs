using Stackvault.Jobs.Scheduling;

namespace Stackvault.Tests.Jobs.Scheduling;

/// <summary>Macros, @every intervals, time zones, counting due times, and jitter bounds.</summary>
public sealed class ScheduleTests
{
    private static DateTimeOffset U(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    [Theory]
    [InlineData("@hourly", 2025, 1, 1, 13, 0)]
    [InlineData("@daily", 2025, 1, 2, 0, 0)]
    [InlineData("@midnight", 2025, 1, 2, 0, 0)]
    [InlineData("@weekly", 2025, 1, 5, 0, 0)]
    [InlineData("@monthly", 2025, 2, 1, 0, 0)]
    [InlineData("@yearly", 2026, 1, 1, 0, 0)]
    [InlineData("@annually", 2026, 1, 1, 0, 0)]
    public void NextAfter_Macro_IsItsCronExpression(string macro, int y, int mo, int d, int h, int mi)
    {
        Assert.Equal(U(y, mo, d, h, mi), Schedule.Parse(macro, "UTC").NextAfter(U(2025, 1, 1, 12, 34)));
    }

    [Fact]
    public void NextAfter_Every_AddsTheInterval_AndCountDueCountsEach()
    {
        var schedule = Schedule.Parse("@every 30s", null);
        Assert.Equal(U(2025, 1, 1, 0, 0, 30), schedule.NextAfter(U(2025, 1, 1)));
        Assert.Equal(4, schedule.CountDue(U(2025, 1, 1), U(2025, 1, 1, 0, 2, 0)));
        Assert.Equal(0, schedule.CountDue(U(2025, 1, 1), U(2025, 1, 1, 0, 0, 29)));
    }

    [Fact]
    public void NextAfter_TimeZone_IsHonoured()
    {
        // 03:00 in Berlin in winter is 02:00 UTC; in Tokyo it is 18:00 UTC the day before.
        Assert.Equal(U(2025, 1, 10, 2), Schedule.Parse("0 3 * * *", "Europe/Berlin").NextAfter(U(2025, 1, 10)));
        Assert.Equal(U(2025, 1, 10, 18), Schedule.Parse("0 3 * * *", "Asia/Tokyo").NextAfter(U(2025, 1, 10)));
    }

    [Theory]
    [InlineData("@every 0s", "'@every' needs a duration")]
    [InlineData("@every soon", "'@every' needs a duration")]
    [InlineData("@fortnightly", "unknown schedule macro")]
    [InlineData("0 25 * * *", "hour field")]
    public void Parse_Bad_Throws(string text, string expected)
    {
        Assert.Contains(expected, Assert.Throws<FormatException>(() => Schedule.Parse(text, null)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownZone_Throws()
    {
        Assert.Contains("unknown time zone", Assert.Throws<FormatException>(() => Schedule.Parse("@daily", "Mars/Olympus")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jitter_StaysWithinZeroAndMax_IsDeterministicPerSeed_AndSpreads()
    {
        var max = TimeSpan.FromMinutes(5);
        var first = Enumerable.Range(0, 1000).Select(_ => TimeSpan.Zero).ToArray();
        var random = new Random(42);
        for (var i = 0; i < first.Length; i++)
        {
            first[i] = Jitter.Draw(random, max);
        }

        Assert.All(first, j => Assert.InRange(j, TimeSpan.Zero, max));
        Assert.True(first.Distinct().Count() > 900, "jitter draws should spread");
        Assert.True(first.Min() < TimeSpan.FromSeconds(30) && first.Max() > TimeSpan.FromSeconds(270), "jitter should cover the range");
        var again = new Random(42);
        Assert.Equal(first, first.Select(_ => Jitter.Draw(again, max)));
        Assert.Equal(TimeSpan.Zero, Jitter.Draw(new Random(1), null));
        Assert.Equal(TimeSpan.Zero, Jitter.Draw(new Random(1), TimeSpan.Zero));
    }
}
