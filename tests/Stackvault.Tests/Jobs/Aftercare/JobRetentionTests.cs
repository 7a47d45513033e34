using Stackvault.Configuration;
using Stackvault.Jobs.Aftercare;
using Stackvault.Maintenance.Retention;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Tests.Maintenance.Retention;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>The pure retention plan of a job, against the naive reference policy, over random histories.</summary>
public class JobRetentionTests
{
    [Fact]
    public void Plan_RandomHistories_KeepsExactlyThePolicyPlusNewestCompleteAndTheRun()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var history = new RandomHistory(seed);
            var random = new Random(seed);
            var snapshots = RandomJobHistory.Build(history, random, out _);
            var policy = history.Policy() with { Tags = [] };
            var protect = snapshots.Count > 0 && random.Next(2) == 0 ? snapshots[random.Next(snapshots.Count)].Id.ToString() : null;

            var groups = JobRetention.Plan(snapshots, AftercareSetup.JobName, policy, protect);

            var expected = RandomJobHistory.ExpectedKept(snapshots, policy, protect);
            var jobIds = RandomJobHistory.JobSnapshots(snapshots).Select(s => s.Id.ToString()).ToHashSet();
            var kept = groups.SelectMany(g => g.Kept).Select(d => d.Candidate.Id).ToHashSet();
            var removed = groups.SelectMany(g => g.Removed).Select(d => d.Candidate.Id).ToHashSet();
            Assert.True(expected.SetEquals(kept), $"seed {seed}: kept {kept.Count}, expected {expected.Count}; groups {string.Join(",", groups.Select(g => g.Key + "=" + g.Decisions.Count + "/" + g.Kept.Count()))}; extra {string.Join(",", expected.Except(kept).Select(id => snapshots.First(s => s.Id.ToString() == id).Snapshot.Time))}");
            Assert.True(jobIds.SetEquals(kept.Union(removed)), $"seed {seed}: only the job's snapshots are judged");
            foreach (var group in RandomJobHistory.JobSnapshots(snapshots).GroupBy(s => (s.Snapshot.Hostname, string.Join('\n', s.Snapshot.Paths))))
            {
                var newestComplete = group.Where(s => s.Snapshot.Status == SnapshotStatus.Complete).OrderByDescending(s => s.Snapshot.Time).ThenBy(s => s.Id).FirstOrDefault();
                Assert.True(newestComplete.Snapshot is null || kept.Contains(newestComplete.Id.ToString()), $"seed {seed}: the newest complete snapshot was dropped");
            }
        }
    }

    [Fact]
    public void Plan_NewestCompleteOlderThanKeptComplete_IsKeptAnyway()
    {
        // daily 2: today's newest is partial (kept), today's complete one is in the same day bucket, yesterday's complete is kept.
        var day = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var snapshots = new[]
        {
            RandomJobHistory.Make(day.AddHours(-12), complete: true),
            RandomJobHistory.Make(day.AddHours(6), complete: true),
            RandomJobHistory.Make(day.AddHours(7), complete: false),
        };

        var groups = JobRetention.Plan(snapshots, AftercareSetup.JobName, new RetentionPolicy { Daily = 2 }, null);

        var decision = groups.Single().Decisions.Single(d => d.Candidate.Id == snapshots[1].Id.ToString());
        Assert.True(decision.Keep);
        Assert.Contains(RetentionEvaluator.LastCompleteReason, decision.Reasons);
    }

    [Theory]
    [InlineData(36, 1, 12)]
    [InlineData(0.5, 0, 1)]
    [InlineData(24 * 7, 7, 0)]
    public void PolicyOf_KeepWithin_RoundsUpToWholeHours(double hours, int days, int wholeHours)
    {
        var policy = JobRetention.PolicyOf(new RetentionConfig(2, null, 3, null, null, null, TimeSpan.FromHours(hours)));

        Assert.Equal(new KeepDuration(0, 0, days, wholeHours), policy.Within);
        Assert.Equal(2, policy.Last);
        Assert.Equal(3, policy.Daily);
    }

    [Fact]
    public void JobRunOutcome_OnlyACompleteRunWithASnapshotAllowsRetention()
    {
        var id = new ObjectId(new byte[32]);
        Assert.True(new JobRunOutcome(id, true).AllowsRetention);
        Assert.False(new JobRunOutcome(id, false).AllowsRetention);
        Assert.False(new JobRunOutcome(null, true).AllowsRetention);
        Assert.False(JobRunOutcome.Failed.AllowsRetention);
    }
}
