namespace Stackvault.Tests.Daemon;

/// <summary>
/// Cron schedules with a <c>time_zone:</c> through the daemon's scheduler on a manual clock, across Europe/Berlin's
/// daylight-saving changes of 2025: the skipped 02:30 runs at the end of the gap, the repeated 02:30 runs once.
/// </summary>
public sealed class SchedulerDstTests
{
    private static DateTimeOffset U(int mo, int d, int h, int mi = 0) => new(2025, mo, d, h, mi, 0, TimeSpan.Zero);

    [Fact]
    public async Task SpringForward_SkippedLocalTime_RunsAtGapEnd_NextRunTomorrowInSummerTime()
    {
        // 2025-03-30 00:30Z is 01:30 CET; at 01:00Z the clock jumps from 02:00 CET to 03:00 CEST, so 02:30 never exists.
        await using var h = new SchedulerHarness("  j: { repository: r1, components: [c], schedule: \"30 2 * * *\", time_zone: Europe/Berlin }", start: U(3, 30, 0, 30));
        h.Start();
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs.TryGetValue("j", out var s) && s.NextRun == U(3, 30, 1), "next run at the end of the gap");
        await h.StepAsync(TimeSpan.FromMinutes(30));
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "the run at 03:00 CEST");
        h.Release("j");
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs["j"].NextRun == U(3, 31, 0, 30), "next run 02:30 CEST tomorrow");
        Assert.Equal(0, h.Store.Load().Jobs["j"].MissedRunsTotal);
    }

    [Fact]
    public async Task FallBack_RepeatedLocalTime_RunsOnce()
    {
        // 2025-10-26: 02:30 CEST is 00:30Z; the clock falls back at 01:00Z and 02:30 CET (01:30Z) comes again: no second run.
        await using var h = new SchedulerHarness("  j: { repository: r1, components: [c], schedule: \"30 2 * * *\", time_zone: Europe/Berlin }", start: U(10, 26, 0));
        h.Start();
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs.TryGetValue("j", out var s) && s.NextRun == U(10, 26, 0, 30), "next run 02:30 CEST");
        await h.StepAsync(TimeSpan.FromMinutes(30));
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "the run at 02:30 CEST");
        h.Release("j");
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs["j"].NextRun == U(10, 27, 1, 30), "next run 02:30 CET tomorrow, not the repeat");
        Assert.Single(h.Started);
    }
}
