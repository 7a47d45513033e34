using Stackvault.Drill;

namespace Stackvault.Tests.Drill;

/// <summary>The window over which backups record, and drills compare, the samples of <c>up</c>.</summary>
public sealed class PrometheusRecordingTests
{
    [Theory]
    [InlineData(1_000, 11_000, 1_000, 10_999)]           // short range: all of it, end exclusive
    [InlineData(0, 120_000, 0, 119_999)]                 // exactly two minutes: still all of it
    [InlineData(0, 7_200_000, 0, 7_140_000)]             // long range: ends a minute early
    [InlineData(0, 86_400_000, 64_740_001, 86_340_000)]  // a day: its latest six hours
    [InlineData(5_000, 5_000, 5_000, 5_000)]             // empty range stays a valid window
    public void Window_EndsAMinuteEarlyOnlyForLongRanges_AtMostSixHours(long min, long max, long start, long end)
    {
        Assert.Equal((start, end), PrometheusRecording.Window(min, max));
    }
}
