using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>status.json: runs, counters and last success survive a reopen; verify slices roll; drills, tiers, retention recorded.</summary>
public sealed class StatusStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static JobOutcome Run(JobStatus status, DateTimeOffset at) => new("j", "main", status, at, 1, status == JobStatus.Failure ? null : "id", 1, 1, [], status == JobStatus.Success ? null : "boom");

    [Fact]
    public void RecordRun_KeepsLastSuccessAcrossFailures_AndSurvivesReopen()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, TimeProvider.System);
        store.RecordRun(Run(JobStatus.Success, T0));
        store.RecordRun(Run(JobStatus.Partial, T0.AddHours(1)));
        store.RecordRun(Run(JobStatus.Failure, T0.AddHours(2)));

        var job = new StatusStore(temp.Path, TimeProvider.System).Load().Jobs["j"];
        Assert.Equal(T0, job.LastSuccess!.Start);
        Assert.Equal((JobStatus.Failure, "boom"), (job.LastRun!.Status, job.LastRun.Error));
        Assert.Equal([1L, 1L, 1L], new[] { "success", "partial", "failure" }.Select(r => job.RunsTotal[r]));
        Assert.Equal([T0.AddHours(2), T0.AddHours(1), T0], job.RecentRuns.Select(r => r.Start));
        Assert.Empty(Directory.GetFiles(temp.Path, ".status.json.tmp-*"));
    }

    [Fact]
    public void RecordRun_RecentRuns_AreCapped()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, TimeProvider.System);
        for (var i = 0; i < 15; i++)
        {
            store.RecordRun(Run(JobStatus.Success, T0.AddMinutes(i)));
        }

        var job = store.Load().Jobs["j"];
        Assert.Equal(JobState.RecentRunsKept, job.RecentRuns.Count);
        Assert.Equal(15, job.RunsTotal["success"]);
    }

    [Fact]
    public void RecordRun_TierCopiesAndRetention_AreAccumulated()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, TimeProvider.System);
        var first = Run(JobStatus.Success, T0) with { TierCopies = [new TierCopyRecord("s3", TierCopyRecord.Success, T0, 0, null)], Retention = new RetentionRecord(3, T0, Pruned: true) };
        var second = Run(JobStatus.Success, T0.AddHours(1)) with { TierCopies = [new TierCopyRecord("s3", TierCopyRecord.Failure, T0.AddHours(1), 2, "down")], Retention = new RetentionRecord(2, T0.AddHours(1)) };
        store.RecordRun(first);
        store.RecordRun(second);

        var job = store.Load().Jobs["j"];
        Assert.Equal(5, job.RetentionRemovedSnapshotsTotal);
        Assert.Equal(T0, job.PruneLastSuccessAt);
        var tier = job.Tiers["s3"];
        Assert.Equal((T0, 2, 1L, 1L), (tier.LastSuccessAt!.Value, tier.Last!.LagSnapshots, tier.RunsTotal["success"], tier.RunsTotal["failure"]));
    }

    [Fact]
    public void RecordVerify_RollsTheSliceOverAllOfThem()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, TimeProvider.System);
        var used = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var (subset, slices) = JobVerification.Subset("1/3", store.Load().Jobs.GetValueOrDefault("j")?.VerifyNextSlice ?? 1);
            used.Add(subset);
            store.RecordVerify("j", new VerifyState { At = T0.AddDays(i), Ok = i != 1, Subset = subset }, slices);
        }

        Assert.Equal(["1/3", "2/3", "3/3", "1/3"], used);
        var verify = store.Load().Jobs["j"].Verify!;
        Assert.Equal(T0.AddDays(3), verify.LastSuccessAt);
        Assert.Equal(("5%", 0), JobVerification.Subset("5%", 2));
        Assert.Equal(((string?)null, 0), JobVerification.Subset(null, 2));
    }

    [Fact]
    public void RecordDrill_KeepsLastSuccessWhenADrillFails()
    {
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, TimeProvider.System);
        store.RecordDrill("j", true, 42.5, T0);
        store.RecordDrill("j", false, 99, T0.AddDays(7));
        var drill = store.Load().Jobs["j"].Drill!;
        Assert.Equal((false, 99.0, T0), (drill.Ok, drill.RtoSeconds, drill.LastSuccessAt!.Value));
    }

    [Fact]
    public void Load_CorruptFile_IsAClearError()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "status.json"), "{ not json");
        var error = Assert.ThrowsAny<Stackvault.Errors.StackvaultException>(() => new StatusStore(temp.Path, TimeProvider.System).Load());
        Assert.Contains("not a valid status file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ConcurrentWriters_LoseNoRun()
    {
        using var temp = new TempDirectory();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var store = new StatusStore(temp.Path, TimeProvider.System); // separate instances: only the file lock protects
            for (var i = 0; i < 10; i++)
            {
                store.RecordRun(Run(JobStatus.Success, T0.AddMinutes((w * 10) + i)));
            }
        }));
        await Task.WhenAll(writers);
        Assert.Equal(40, new StatusStore(temp.Path, TimeProvider.System).Load().Jobs["j"].RunsTotal["success"]);
    }

    [Fact]
    public void StateDirectory_OptionThenEnvironmentThenDefaults()
    {
        Assert.Equal("/srv/state", StateDirectory.Resolve("/srv/state", _ => "/env/state"));
        Assert.Equal("/env/state", StateDirectory.Resolve(null, n => n == "STACKVAULT_STATE_DIR" ? "/env/state" : null));
    }
}
