using Stackvault.Maintenance.Retention;
using Stackvault.Repository.Model;
using Stackvault.Storage.Local;
using Stackvault.Tests.Maintenance.Retention;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Maintenance;

/// <summary>forget through the real CLI, on snapshot histories fabricated beside one real backup.</summary>
public class ForgetCommandTests
{
    [Fact]
    public async Task Forget_RandomHistoriesAndPolicies_RemovesExactlyWhatTheReferenceDoesNotKeep()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(3).File(Path.Combine(source, "f"), 10_000);
        for (var seed = 0; seed < 4; seed++)
        {
            var cli = new CliRunner(temp.Sub($"repo{seed}"));
            await cli.InitAsync();
            await cli.RunOkAsync("backup", source);
            var random = new RandomHistory(100 + seed);
            var history = await FabricateAsync(cli, random.Snapshots(25));
            var policy = random.Policy() with { Last = 0, Tags = [] };
            if (policy.IsEmpty)
            {
                policy = policy with { Monthly = 2 };
            }

            // All fabricated snapshots share host and paths: one group (the real backup has other paths).
            var expected = ReferencePolicy.Kept(history, policy, allowEmpty: false);
            var args = PolicyArgs(policy);
            var before = RepositoryFiles.Objects(cli.Repository, "snapshots");
            var dry = (await cli.RunOkAsync(["forget", "--dry-run", "--json", "--host", "fabricated", .. args])).Json();
            Assert.Equal(before, RepositoryFiles.Objects(cli.Repository, "snapshots"));
            var dryKept = dry.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("keep").EnumerateArray()).Select(k => k.GetProperty("id").GetString()!).ToHashSet();
            Assert.True(expected.SetEquals(dryKept), $"seed {seed}: dry run keeps {dryKept.Count}, reference {expected.Count}");

            await cli.RunOkAsync(["forget", "--host", "fabricated", .. args]);
            var remaining = RepositoryFiles.Objects(cli.Repository, "snapshots").Select(Path.GetFileName).ToHashSet();
            Assert.True(expected.IsSubsetOf(remaining!));
            Assert.Equal(expected.Count + 1, remaining.Count); // plus the real backup, which --host leaves alone
        }
    }

    [Fact]
    public async Task Forget_NoKeepRule_Exits2AndRemovesNothing()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var source = temp.Sub("src");
        new TreeGenerator(1).File(Path.Combine(source, "f"), 1000);
        await cli.RunOkAsync("backup", source);
        var result = await cli.ExpectAsync(2, "forget");
        Assert.Contains("no keep rule", result.Stderr);
        await cli.ExpectAsync(2, "unlock", "--remove-all");
        Assert.Single(RepositoryFiles.Objects(cli.Repository, "snapshots"));
    }

    [Fact]
    public async Task Forget_PartialNewest_KeepsLastCompleteUnlessAllowEmpty()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var source = temp.Sub("src");
        new TreeGenerator(1).File(Path.Combine(source, "f"), 1000);
        await cli.RunOkAsync("backup", source);
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await FabricateAsync(cli, [new RetentionCandidate("x", t, [], true), new RetentionCandidate("y", t.AddDays(1), [], false)]);

        var json = (await cli.RunOkAsync("forget", "--host", "fabricated", "--keep-last", "1", "--json")).Json();
        var keep = json.GetProperty("groups")[0].GetProperty("keep");
        Assert.Equal(2, keep.GetArrayLength());
        Assert.Contains(keep.EnumerateArray(), k => k.GetProperty("reasons")[0].GetString() == RetentionEvaluator.LastCompleteReason);

        await cli.RunOkAsync("forget", "--host", "fabricated", "--keep-last", "1", "--allow-empty");
        Assert.Equal(2, RepositoryFiles.Objects(cli.Repository, "snapshots").Length); // the real one and the partial
    }

    /// <summary>Saves copies of the repository's one snapshot with the given times, tags and status; returns them with their real ids.</summary>
    private static async Task<List<RetentionCandidate>> FabricateAsync(CliRunner cli, List<RetentionCandidate> history)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new LocalStorage(new LocalStorageOptions(cli.Repository)), "test-password", TimeProvider.System, CancellationToken.None);
        var (_, real) = (await repository.ListSnapshotsAsync(CancellationToken.None))[0];
        var result = new List<RetentionCandidate>();
        foreach (var c in history)
        {
            var id = await repository.SaveSnapshotAsync(new Snapshot
            {
                Time = c.Time, Tree = real.Tree, Paths = ["/fabricated"], Hostname = "fabricated", Username = "u", Tags = [.. c.Tags],
                Status = c.Complete ? SnapshotStatus.Complete : SnapshotStatus.Partial,
            }, CancellationToken.None);
            result.Add(c with { Id = id.ToString() });
        }

        return result;
    }

    private static string[] PolicyArgs(RetentionPolicy p)
    {
        var args = new List<string>();
        void Add(string name, int n)
        {
            if (n > 0)
            {
                args.AddRange([name, n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
        }

        Add("--keep-last", p.Last);
        Add("--keep-hourly", p.Hourly);
        Add("--keep-daily", p.Daily);
        Add("--keep-weekly", p.Weekly);
        Add("--keep-monthly", p.Monthly);
        Add("--keep-yearly", p.Yearly);
        if (p.Within is { IsZero: false } w)
        {
            args.AddRange(["--keep-within", w.ToString()]);
        }

        return [.. args];
    }
}
