using Stackvault.Jobs.Scheduling;

namespace Stackvault.Tests.Jobs.Scheduling;

/// <summary>
/// Daylight-saving transitions: a local time skipped by spring-forward runs once at the first instant after the gap;
/// a fixed local time repeated by fall-back runs once (its first occurrence), while an interval schedule keeps its
/// pace through the repeated hour (Cronos's rule). Europe/Berlin and America/New_York.
/// </summary>
public sealed class CronDstTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static DateTimeOffset U(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> Next(string cron, DateTimeOffset from, int count, TimeZoneInfo zone)
    {
        var expression = CronExpression.Parse(cron);
        var result = new List<DateTimeOffset>();
        for (var t = from; result.Count < count;)
        {
            t = expression.NextAfter(t, zone)!.Value;
            result.Add(t);
        }

        return result;
    }

    [Fact]
    public void Berlin_SpringForward_SkippedTimeRunsOnceAtGapEnd()
    {
        // 2025-03-30: 02:00 CET jumps to 03:00 CEST (01:00 UTC). 02:30 does not exist that day.
        Assert.Equal([U(2025, 3, 29, 1, 30), U(2025, 3, 30, 1, 0), U(2025, 3, 31, 0, 30)], Next("30 2 * * *", U(2025, 3, 29), 3, Berlin));
    }

    [Fact]
    public void Berlin_SpringForward_EveryQuarterHourInTheGap_RunsOnceAtGapEnd()
    {
        // Local 01:45 CET = 00:45 UTC; 02:00-02:45 are skipped and fold into 03:00 CEST = 01:00 UTC, once.
        Assert.Equal([U(2025, 3, 30, 0, 45), U(2025, 3, 30, 1, 0), U(2025, 3, 30, 1, 15)], Next("*/15 * * * *", U(2025, 3, 30, 0, 30), 3, Berlin));
    }

    [Fact]
    public void Berlin_FallBack_RepeatedTimeRunsOnce()
    {
        // 2025-10-26: 03:00 CEST falls back to 02:00 CET. 02:30 happens at 00:30 UTC and again at 01:30 UTC: run once.
        Assert.Equal([U(2025, 10, 25, 0, 30), U(2025, 10, 26, 0, 30), U(2025, 10, 27, 1, 30)], Next("30 2 * * *", U(2025, 10, 24, 12), 3, Berlin));
    }

    [Fact]
    public void Berlin_FallBack_Hourly_RunsEveryRealHour()
    {
        // 01:00 CEST (23:00Z), 02:00 CEST (00:00Z), 02:00 CET (01:00Z: the repeated hour, an hour later), 03:00 CET (02:00Z).
        Assert.Equal([U(2025, 10, 25, 23), U(2025, 10, 26, 0), U(2025, 10, 26, 1), U(2025, 10, 26, 2)], Next("0 * * * *", U(2025, 10, 25, 22, 30), 4, Berlin));
    }

    [Fact]
    public void NewYork_SpringForward_SkippedTimeRunsOnceAtGapEnd()
    {
        // 2025-03-09: 02:00 EST jumps to 03:00 EDT (07:00 UTC).
        Assert.Equal([U(2025, 3, 8, 7, 30), U(2025, 3, 9, 7, 0), U(2025, 3, 10, 6, 30)], Next("30 2 * * *", U(2025, 3, 8), 3, NewYork));
    }

    [Fact]
    public void NewYork_FallBack_RepeatedTimeRunsOnce()
    {
        // 2025-11-02: 02:00 EDT falls back to 01:00 EST. 01:30 happens at 05:30Z and 06:30Z: only the first.
        Assert.Equal([U(2025, 11, 1, 5, 30), U(2025, 11, 2, 5, 30), U(2025, 11, 3, 6, 30)], Next("30 1 * * *", U(2025, 11, 1), 3, NewYork));
    }

    [Fact]
    public void NewYork_FallBack_AfterInsideTheSecondPass_DoesNotRunTheRepeatAgain()
    {
        // 06:10Z is 01:10 EST (the second pass); 01:30's first occurrence (05:30Z) has passed: next is tomorrow.
        Assert.Equal(U(2025, 11, 3, 6, 30), CronExpression.Parse("30 1 * * *").NextAfter(U(2025, 11, 2, 6, 10), NewYork));
    }
}
