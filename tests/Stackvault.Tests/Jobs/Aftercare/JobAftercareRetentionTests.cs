using Stackvault.Configuration;
using Stackvault.Jobs.Aftercare;
using Stackvault.Maintenance.Retention;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Tests.Maintenance.Retention;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>Retention after a job run, in a real repository: exactly what the policy drops is deleted, and only after a complete run.</summary>
public class JobAftercareRetentionTests
{
    [Fact]
    public async Task RunAsync_RandomHistories_DeletesExactlyWhatThePolicyDrops()
    {
        for (var seed = 0; seed < 12; seed++)
        {
            using var temp = new TempDirectory();
            var random = new Random(1000 + seed);
            var history = new RandomHistory(1000 + seed);
            var retention = RandomRetention(random);
            var (repository, tree) = await AftercareSetup.NewWithEmptyTreeAsync(temp.Sub("repo"));
            await using (repository)
            {
                var saved = await SaveHistoryAsync(repository, tree, RandomJobHistory.Build(history, random, out _, maxCount: 40));
                var run = saved.Where(s => s.Snapshot.Tags.Contains("job:nightly") && s.Snapshot.Status == SnapshotStatus.Complete)
                    .OrderBy(s => s.Snapshot.Time).LastOrDefault();
                if (run.Snapshot is null)
                {
                    continue;
                }

                var config = AftercareSetup.Config(AftercareSetup.Job(retention), temp.Sub("repo"));
                var warnings = new List<string>();

                var result = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(run.Id, true), warnings);

                var expected = RandomJobHistory.ExpectedKept(saved, JobRetention.PolicyOf(retention), run.Id.ToString());
                expected.UnionWith(saved.Where(s => !s.Snapshot.Tags.Contains("job:nightly")).Select(s => s.Id.ToString())); // other jobs are untouched
                var remaining = await AftercareSetup.SnapshotIdsAsync(repository);
                Assert.True(expected.SetEquals(remaining), $"seed {seed}: {remaining.Count} remain, expected {expected.Count}");
                Assert.Equal(saved.Count - expected.Count, result.Retention.Removed.Count);
                Assert.Contains(run.Id.ToString(), remaining);
                Assert.Null(result.Retention.SkippedReason);
                Assert.Empty(warnings);
            }
        }
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task RunAsync_PartialOrFailedRun_DeletesNothing(bool hasSnapshot, bool complete)
    {
        using var temp = new TempDirectory();
        var (repository, tree) = await AftercareSetup.NewWithEmptyTreeAsync(temp.Sub("repo"));
        await using (repository)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var saved = await SaveHistoryAsync(repository, tree, [.. Enumerable.Range(0, 10).Select(i => RandomJobHistory.Make(start.AddDays(i), complete: i != 9))]);
            var config = AftercareSetup.Config(AftercareSetup.Job(new RetentionConfig(1, null, null, null, null, null, null)), temp.Sub("repo"));
            var run = new JobRunOutcome(hasSnapshot ? saved[^1].Id : null, complete);

            var result = await AftercareSetup.RunAsync(config, repository, run, []);

            Assert.Equal(10, (await AftercareSetup.SnapshotIdsAsync(repository)).Count);
            Assert.Empty(result.Retention.Removed);
            Assert.Contains("not complete", result.Retention.SkippedReason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RunAsync_CompleteRunWithRealData_ForgetsPrunesAndStillRestores()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(61);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--pack-size", "1");
        for (var i = 0; i < 4; i++)
        {
            generator.File(Path.Combine(source, $"round-{i}"), 700_000, compressible: false);
            if (i > 0)
            {
                File.Delete(Path.Combine(source, $"round-{i - 1}"));
            }

            await cli.RunOkAsync("backup", source, "--tag", "job:nightly");
        }

        var config = AftercareSetup.Config(AftercareSetup.Job(new RetentionConfig(2, null, null, null, null, null, null)), cli.Repository);
        await using var repository = await AftercareSetup.OpenAsync(cli.Repository);
        var latest = (await repository.ListSnapshotsAsync(CancellationToken.None))[^1].Id;

        var result = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(latest, true), []);

        Assert.Equal(2, result.Retention.Removed.Count);
        Assert.True(result.Retention.PacksDeleted >= 1 && result.Retention.BytesDeleted >= 700_000, $"{result.Retention}");
        await cli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);
    }

    [Fact]
    public async Task RunAsync_RepositoryLockedByAnother_SkipsRetentionWithWarningAndDeletesNothing()
    {
        using var temp = new TempDirectory();
        var (repository, tree) = await AftercareSetup.NewWithEmptyTreeAsync(temp.Sub("repo"));
        await using (repository)
        {
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var saved = await SaveHistoryAsync(repository, tree, [.. Enumerable.Range(0, 4).Select(i => RandomJobHistory.Make(start.AddDays(i), complete: true))]);
            var config = AftercareSetup.Config(AftercareSetup.Job(new RetentionConfig(1, null, null, null, null, null, null)), temp.Sub("repo"));
            var warnings = new List<string>();
            var locks = new Stackvault.Locking.LockManager(repository.Storage, new Stackvault.Locking.LockOptions(), TimeProvider.System);
            AftercareResult result;
            await using (await locks.AcquireAsync(Stackvault.Locking.LockKind.Shared, "backup", CancellationToken.None))
            {
                result = await new JobAftercare(new Stackvault.Locking.LockOptions()).RunAsync(
                    config, config.Jobs[AftercareSetup.JobName], repository, new JobRunOutcome(saved[^1].Id, true), AftercareSetup.OpenAsync, TimeProvider.System, warnings.Add, CancellationToken.None);
            }

            Assert.True(result.Retention.Skipped);
            Assert.Contains(warnings, w => w.Contains("retention skipped", StringComparison.Ordinal));
            Assert.Equal(4, (await AftercareSetup.SnapshotIdsAsync(repository)).Count);
        }
    }

    [Fact]
    public async Task RunAsync_NoRetentionConfigured_SkipsWithReason()
    {
        using var temp = new TempDirectory();
        var (repository, tree) = await AftercareSetup.NewWithEmptyTreeAsync(temp.Sub("repo"));
        await using (repository)
        {
            var saved = await SaveHistoryAsync(repository, tree, [RandomJobHistory.Make(DateTimeOffset.UnixEpoch, true), RandomJobHistory.Make(DateTimeOffset.UnixEpoch.AddDays(1), true)]);
            var config = AftercareSetup.Config(AftercareSetup.Job(null), temp.Sub("repo"));

            var result = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(saved[^1].Id, true), []);

            Assert.Equal("no retention configured", result.Retention.SkippedReason);
            Assert.Equal(2, (await AftercareSetup.SnapshotIdsAsync(repository)).Count);
            Assert.Empty(result.Tiers);
        }
    }

    private static RetentionConfig RandomRetention(Random random)
    {
        int? Rule() => random.Next(2) == 0 ? null : random.Next(1, 8);
        var retention = new RetentionConfig(Rule(), Rule(), Rule(), Rule(), Rule(), Rule(), random.Next(3) == 0 ? TimeSpan.FromHours(random.Next(1, 24 * 40)) : null);
        return JobRetention.PolicyOf(retention).IsEmpty ? retention with { KeepLast = 1 } : retention;
    }

    /// <summary>Writes the manifests (all pointing at the empty tree); returns them with their real ids.</summary>
    private static async Task<List<(ObjectId Id, Snapshot Snapshot)>> SaveHistoryAsync(Stackvault.Repository.Repository repository, ObjectId tree, IEnumerable<(ObjectId Id, Snapshot Snapshot)> history)
    {
        var saved = new List<(ObjectId, Snapshot)>();
        foreach (var (_, snapshot) in history)
        {
            snapshot.Tree = tree;
            snapshot.Username = "test-" + saved.Count; // distinct bytes, distinct ids
            saved.Add((await repository.SaveSnapshotAsync(snapshot, CancellationToken.None), snapshot));
        }

        return saved;
    }
}
