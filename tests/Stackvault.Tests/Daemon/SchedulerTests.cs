namespace Stackvault.Tests.Daemon;

/// <summary>The daemon's loop on a manual clock: overlap prevention, missed runs, per-repository serialization, shutdown.</summary>
public sealed class SchedulerTests
{
    private static readonly TimeSpan Ten = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_SlowJob_IsNotStartedTwice_AndSkippedDueTimesCountAsMissed()
    {
        await using var h = new SchedulerHarness("  slow: { repository: r1, components: [c], schedule: \"@every 10s\" }");
        h.Start();
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "first run");

        await h.StepAsync(Ten); // due while the first run is still going
        await h.StepAsync(Ten); // and again
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs["slow"].MissedRunsTotal == 2, "two missed runs");
        Assert.Single(h.Started);

        h.Release("slow");
        await SchedulerHarness.WaitAsync(() => h.Scheduler.Running.Count == 0, "first run finished");
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 2, "second run");
        Assert.Equal(1, h.MaxConcurrent);
        var next = h.Time.GetUtcNow() + Ten;
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs["slow"].NextRun == next, "the next run recorded");
        var state = h.Store.Load().Jobs["slow"];
        Assert.Equal(2, state.MissedRunsTotal);
        Assert.Equal(1, state.RunsTotal["success"]);
    }

    [Fact]
    public async Task RunAsync_TwoJobsOnOneRepository_AreSerialized_OnTwoRepositoriesRunTogether()
    {
        await using var h = new SchedulerHarness("""
              a: { repository: r1, components: [c], schedule: "@every 10s" }
              b: { repository: r1, components: [c], schedule: "@every 10s" }
              other: { repository: r2, components: [c], schedule: "@every 10s" }
            """);
        h.Start();
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 2, "one job of r1 and the job of r2");
        var first = h.Started.Select(s => s.Job).Where(j => j != "other").ToList();
        Assert.Single(first);
        Assert.Contains(h.Started, s => s.Job == "other");
        await SchedulerHarness.WaitAsync(() => h.Scheduler.Running.Count == 3, "the second job of r1 waiting for the repository");
        Assert.Equal(2, h.Started.Count);

        h.Release(first[0]);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 3, "the other job of r1 after the first");
        Assert.Equal(2, h.MaxConcurrent);
        h.Release("a");
        h.Release("b");
        h.Release("other");
    }

    [Fact]
    public async Task RunAsync_DueTimesPassedWhileDown_AreCountedMissed_AndOneCatchUpRuns()
    {
        var start = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
        await using var h = new SchedulerHarness(
            "  j: { repository: r1, components: [c], schedule: \"@every 10s\" }",
            store => store.RecordSchedule("j", start - TimeSpan.FromSeconds(60), start - TimeSpan.FromSeconds(50)));
        h.Start();
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "catch-up run");
        Assert.Equal(("j", "catch-up"), h.Started.Single());
        await SchedulerHarness.WaitAsync(() => h.Store.Load().Jobs["j"].LastDue == start, "the handled due time recorded");
        Assert.Equal(5, h.Store.Load().Jobs["j"].MissedRunsTotal); // -50, -40, -30, -20, -10; the one due now runs
        h.Release("j");
    }

    [Fact]
    public async Task RunAsync_MachineAsleepPastDueTimes_CountsThemMissed_AndCatchesUpOnce()
    {
        await using var h = new SchedulerHarness("  j: { repository: r1, components: [c], schedule: \"@every 10s\" }");
        h.Start();
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "first run");
        h.Release("j");
        await SchedulerHarness.WaitAsync(() => h.Scheduler.Running.Count == 0, "first run finished");

        h.Time.JumpWallClock(TimeSpan.FromSeconds(55)); // suspended: the wall clock moved, the monotonic one did not
        await h.StepAsync(Ten); // wakes at wall 00:01:15 for the 00:00:20 due time

        await SchedulerHarness.WaitAsync(() => h.Started.Count == 2, "catch-up run");
        Assert.Equal("catch-up", h.Started.Last().Trigger);
        Assert.Equal(5, h.Store.Load().Jobs["j"].MissedRunsTotal); // 00:00:20 .. 00:01:00; 00:01:10 runs
        h.Release("j");
    }

    [Fact]
    public async Task RunAsync_Stopped_WaitsForTheRunWithinGrace_ThenCancelsIt()
    {
        await using var h = new SchedulerHarness("  j: { repository: r1, components: [c], schedule: \"@every 10s\" }");
        h.Start();
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "run");
        await h.StopAsync();
        await h.StepAsync(TimeSpan.FromSeconds(5)); // within the grace: still running
        Assert.False(h.Running.IsCompleted);
        await h.StepAsync(TimeSpan.FromSeconds(20)); // grace over: the run is cancelled
        await h.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Scheduler.Running);
        Assert.Equal(0, h.Store.Load().Jobs["j"].RunsTotal.GetValueOrDefault("success"));
    }

    [Fact]
    public async Task RunAsync_Stopped_RunFinishingWithinGrace_IsRecorded()
    {
        await using var h = new SchedulerHarness("  j: { repository: r1, components: [c], schedule: \"@every 10s\" }");
        h.Start();
        await h.StepAsync(Ten);
        await SchedulerHarness.WaitAsync(() => h.Started.Count == 1, "run");
        await h.StopAsync();
        h.Release("j");
        await h.Running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, h.Store.Load().Jobs["j"].RunsTotal["success"]);
    }
}
