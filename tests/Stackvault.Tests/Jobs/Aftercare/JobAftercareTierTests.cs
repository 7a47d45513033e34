using Stackvault.Configuration;
using Stackvault.Jobs.Aftercare;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>copy_to tiers: an absent external drive is skipped and caught up later; an unreachable S3 tier fails; tiers get the job's retention.</summary>
public class JobAftercareTierTests
{
    [Fact]
    public async Task RunAsync_WarmTierMissingThenInitialised_SkipsWithWarningThenCatchesUpEverySnapshot()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var cli = await BackedUpAsync(temp, source, rounds: 3);
        var warm = temp.Sub("media/usb-drive/stackvault"); // the drive is not mounted: nothing under media/
        var config = AftercareSetup.Config(AftercareSetup.Job(null, "warm"), cli.Repository, ("warm", warm, "warm-password"));
        await using var repository = await AftercareSetup.OpenAsync(cli.Repository);
        var latest = (await repository.ListSnapshotsAsync(CancellationToken.None))[^1].Id;
        var warnings = new List<string>();

        var absent = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(latest, true), warnings);

        var tier = Assert.Single(absent.Tiers);
        Assert.Equal(("warm", TierResult.Skipped, 0), (tier.Tier, tier.Result, tier.Copied));
        Assert.False(absent.AnyTierFailed);
        Assert.Contains(warnings, w => w.Contains("copy to warm skipped", StringComparison.Ordinal) && w.Contains(warm, StringComparison.Ordinal));
        Assert.False(Directory.Exists(temp.Sub("media")), "a skipped tier must not create anything");

        // Mounted but not initialised: still skipped, nothing written onto the drive.
        Directory.CreateDirectory(warm);
        Assert.Equal(TierResult.Skipped, (await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(latest, true), [])).Tiers[0].Result);
        Assert.Empty(Directory.EnumerateFileSystemEntries(warm));

        var warmCli = new CliRunner(warm, "warm-password");
        await warmCli.InitAsync();
        var present = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(latest, true), warnings);

        tier = Assert.Single(present.Tiers);
        Assert.Equal((TierResult.Success, 3, 0), (tier.Result, tier.Copied, tier.Lag));
        var originals = (await CopyPairSnapshots(warmCli)).ToHashSet();
        Assert.Equal(await AftercareSetup.SnapshotIdsAsync(repository), originals);
        await warmCli.RunOkAsync("verify", "--read-data");
        var target = temp.Sub("restore");
        await warmCli.RunOkAsync("restore", "latest", "--target", target);
        TreeComparer.AssertSame(source, target + source);

        var again = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(latest, true), warnings);
        Assert.Equal((TierResult.Success, 0, 0), (again.Tiers[0].Result, again.Tiers[0].Copied, again.Tiers[0].Lag));
    }

    [Fact]
    public async Task RunAsync_S3TierUnreachable_IsFailureWhileLocalTierSucceeds()
    {
        using var temp = new TempDirectory();
        var cli = await BackedUpAsync(temp, temp.Sub("src"), rounds: 1);
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await warm.InitAsync();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nobody listens there now
        var cold = $"s3:http://127.0.0.1:{port}/bucket/cold";
        var config = AftercareSetup.Config(AftercareSetup.Job(null, "cold", "warm"), cli.Repository, ("cold", cold, "pw"), ("warm", warm.Repository, "warm-password"));
        await using var repository = await AftercareSetup.OpenAsync(cli.Repository);
        var warnings = new List<string>();

        var result = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome((await repository.ListSnapshotsAsync(CancellationToken.None))[^1].Id, true), warnings);

        Assert.Equal(["cold", "warm"], result.Tiers.Select(t => t.Tier));
        Assert.Equal(TierResult.Failure, result.Tiers[0].Result);
        Assert.Contains("127.0.0.1", result.Tiers[0].Message, StringComparison.Ordinal);
        Assert.Equal((TierResult.Success, 1), (result.Tiers[1].Result, result.Tiers[1].Copied));
        Assert.True(result.AnyTierFailed);
        Assert.Contains(warnings, w => w.Contains("copy to cold failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RetentionWithTier_SourceForgetsFirstTierGetsKeptOnesAndSameRetention()
    {
        using var temp = new TempDirectory();
        var cli = await BackedUpAsync(temp, temp.Sub("src"), rounds: 4);
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await warm.InitAsync();
        var retention = new RetentionConfig(2, null, null, null, null, null, null);
        var config = AftercareSetup.Config(AftercareSetup.Job(retention, "warm"), cli.Repository, ("warm", warm.Repository, "warm-password"));
        await using var repository = await AftercareSetup.OpenAsync(cli.Repository);
        var ids = (await repository.ListSnapshotsAsync(CancellationToken.None)).Select(s => s.Id).ToList();

        var first = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(ids[^1], true), []);

        Assert.Equal(2, first.Retention.Removed.Count);
        Assert.Equal((TierResult.Success, 2), (first.Tiers[0].Result, first.Tiers[0].Copied));
        Assert.Equal(ids.TakeLast(2).Select(id => id.ToString()).ToHashSet(), (await CopyPairSnapshots(warm)).ToHashSet());

        // The tier fell behind with an older copy the policy now drops: the tier's own retention removes it.
        var source = temp.Sub("src");
        File.WriteAllText(Path.Combine(source, "more"), "more");
        await cli.RunOkAsync("backup", source, "--tag", "job:nightly");
        var newest = (await repository.ListSnapshotsAsync(CancellationToken.None))[^1].Id;
        var second = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome(newest, true), []);

        Assert.Single(second.Retention.Removed);
        Assert.Equal(1, second.Tiers[0].Copied);
        Assert.Single(second.Tiers[0].Retention!.Removed);
        Assert.Equal((await AftercareSetup.SnapshotIdsAsync(repository)), (await CopyPairSnapshots(warm)).ToHashSet());
        await warm.RunOkAsync("verify", "--read-data");
    }

    [Fact]
    public async Task RunAsync_PartialRun_CopiesButAppliesNoRetentionAnywhere()
    {
        using var temp = new TempDirectory();
        var cli = await BackedUpAsync(temp, temp.Sub("src"), rounds: 3);
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await warm.InitAsync();
        var config = AftercareSetup.Config(AftercareSetup.Job(new RetentionConfig(1, null, null, null, null, null, null), "warm"), cli.Repository, ("warm", warm.Repository, "warm-password"));
        await using var repository = await AftercareSetup.OpenAsync(cli.Repository);

        var result = await AftercareSetup.RunAsync(config, repository, new JobRunOutcome((await repository.ListSnapshotsAsync(CancellationToken.None))[^1].Id, false), []);

        Assert.True(result.Retention.Skipped);
        Assert.Equal(3, result.Tiers[0].Copied);
        Assert.True(result.Tiers[0].Retention!.Skipped);
        Assert.Equal(3, (await AftercareSetup.SnapshotIdsAsync(repository)).Count);
        Assert.Equal(3, (await CopyPairSnapshots(warm)).Count);
    }

    /// <summary>A repository (password test-password) with <paramref name="rounds"/> backups of a changing tree, tagged job:nightly.</summary>
    private static async Task<CliRunner> BackedUpAsync(TempDirectory temp, string source, int rounds)
    {
        var generator = new TreeGenerator(71);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--pack-size", "1");
        for (var i = 0; i < rounds; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), 300_000, compressible: i % 2 == 0);
            await cli.RunOkAsync("backup", source, "--tag", "job:nightly");
        }

        return cli;
    }

    /// <summary>The <c>original</c> of every snapshot in a tier.</summary>
    private static async Task<List<string>> CopyPairSnapshots(CliRunner tier)
    {
        var list = (await tier.RunOkAsync("snapshots", "--json")).Json().EnumerateArray();
        return [.. list.Select(s => s.GetProperty("original").GetString()!)];
    }
}
