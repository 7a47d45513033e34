using Stackvault.Maintenance.Retention;

namespace Stackvault.Tests.Maintenance.Retention;

public class RetentionEvaluatorTests
{
    [Fact]
    public void Evaluate_RandomHistoriesAndPolicies_KeepsExactlyWhatTheReferenceKeeps()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new RandomHistory(seed);
            var snapshots = random.Snapshots();
            var policy = random.Policy();
            var allowEmpty = random.Bool();
            var decisions = RetentionEvaluator.Evaluate(snapshots, policy, allowEmpty);

            var expected = ReferencePolicy.Kept(snapshots, policy, allowEmpty);
            var kept = decisions.Where(d => d.Keep).Select(d => d.Candidate.Id).ToHashSet();
            Assert.True(expected.SetEquals(kept), $"seed {seed}, policy {policy}: expected {expected.Count} kept, got {kept.Count}");
            Assert.Equal(snapshots.Count, decisions.Count);
            if (!allowEmpty && snapshots.Any(s => s.Complete))
            {
                Assert.Contains(decisions, d => d.Keep && d.Candidate.Complete);
            }
        }
    }

    [Fact]
    public void Evaluate_Output_IsNewestFirstAndIndependentOfInputOrder()
    {
        var random = new RandomHistory(7);
        var snapshots = random.Snapshots(60);
        var policy = new RetentionPolicy { Daily = 5, Weekly = 3 };
        var a = RetentionEvaluator.Evaluate(snapshots, policy, false);
        var b = RetentionEvaluator.Evaluate(Enumerable.Reverse(snapshots), policy, false);
        Assert.Equal(a.Select(d => (d.Candidate.Id, d.Keep)), b.Select(d => (d.Candidate.Id, d.Keep)));
        Assert.True(a.Zip(a.Skip(1)).All(p => p.First.Candidate.Time >= p.Second.Candidate.Time));
    }

    [Fact]
    public void Evaluate_DailyRule_KeepsNewestOfEachDayAndNamesTheRule()
    {
        var day = new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero);
        RetentionCandidate At(string id, double hours) => new(id, day.AddHours(hours), [], true);
        var snapshots = new[] { At("a", 1), At("b", 23), At("c", 25), At("d", 47.5), At("e", 49) };
        var decisions = RetentionEvaluator.Evaluate(snapshots, new RetentionPolicy { Daily = 2 }, false);
        Assert.Equal(["e", "d"], decisions.Where(d => d.Keep).Select(d => d.Candidate.Id));
        Assert.Equal(["daily 1"], decisions[0].Reasons);
        Assert.Equal(["daily 2"], decisions[1].Reasons);
    }

    [Fact]
    public void Evaluate_OnlyPartialKeptByRules_AlsoKeepsNewestComplete()
    {
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var snapshots = new[] { new RetentionCandidate("new-partial", t.AddDays(2), [], false), new RetentionCandidate("old-complete", t, [], true) };
        var decisions = RetentionEvaluator.Evaluate(snapshots, new RetentionPolicy { Last = 1 }, false);
        Assert.All(decisions, d => Assert.True(d.Keep));
        Assert.Equal([RetentionEvaluator.LastCompleteReason], decisions[1].Reasons);

        var allowed = RetentionEvaluator.Evaluate(snapshots, new RetentionPolicy { Last = 1 }, true);
        Assert.False(allowed[1].Keep);
    }

    [Fact]
    public void Evaluate_TagAndWithinRules_KeepWithTheirReasons()
    {
        var t = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var snapshots = new[]
        {
            new RetentionCandidate("newest", t, [], true),
            new RetentionCandidate("recent", t.AddHours(-30), [], true),
            new RetentionCandidate("tagged", t.AddDays(-400), ["keep-me"], true),
            new RetentionCandidate("old", t.AddDays(-3), [], true),
        };
        var decisions = RetentionEvaluator.Evaluate(snapshots, new RetentionPolicy { Within = KeepDuration.Parse("36h"), Tags = ["keep-me"] }, false);
        Assert.Equal(["newest", "recent", "tagged"], decisions.Where(d => d.Keep).Select(d => d.Candidate.Id));
        Assert.Equal(["tag keep-me"], decisions.Single(d => d.Candidate.Id == "tagged").Reasons);
    }

    [Theory]
    [InlineData("7d", 0, 0, 7, 0)]
    [InlineData("36h", 0, 0, 0, 36)]
    [InlineData("1y2m", 1, 2, 0, 0)]
    [InlineData("2y3m4d5h", 2, 3, 4, 5)]
    public void Parse_ValidDurations_GivesTheParts(string text, int years, int months, int days, int hours) =>
        Assert.Equal(new KeepDuration(years, months, days, hours), KeepDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("2w")]
    [InlineData("3d1y")]
    [InlineData("-1d")]
    public void Parse_InvalidDurations_IsUsageError(string text) =>
        Assert.Equal(Stackvault.Errors.ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(Assert.ThrowsAny<Stackvault.Errors.StackvaultException>(() => KeepDuration.Parse(text))).Code);
}
