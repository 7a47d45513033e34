using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs.Aftercare;

/// <summary>
/// Retention per tier (seed 002: days on the hot disk, longer on the warm drive): each repository's own
/// <c>retention</c> applies in it after the copy, <c>forget --job --dry-run</c> and <c>status</c> say per tier which
/// rule keeps each snapshot, and the newest complete snapshot is never removed from any tier.
/// </summary>
public sealed class TierRetentionCliTests
{
    private static string Config(TempDirectory temp, string warmRetention) => $$"""
        repositories:
          hot: { url: {{temp.Sub("hot")}}, password: hot-password }
          warm:
            url: {{temp.Sub("warm")}}
            password: warm-password
            retention: {{warmRetention}}
        components:
          data: { type: files, paths: [{{temp.Sub("data")}}] }
        jobs:
          nightly:
            repository: hot
            components: [data]
            copy_to: [warm]
            retention: { keep_last: 1 }
            rpo: 26h
        """;

    [Fact]
    public async Task BackupJob_EachTierKeepsByItsOwnRetention_ForgetDryRunAndStatusSayWhichRuleKeepsEach()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        var hot = new CliRunner(temp.Sub("hot"), "hot-password");
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await hot.InitAsync();
        await warm.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, Config(temp, "{ keep_last: 3 }"));
        var state = temp.Sub("state");
        for (var i = 0; i < 4; i++)
        {
            File.WriteAllText(temp.Sub("data/file.txt"), $"round {i}");
            await hot.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", state, "-q");
        }

        // the job's keep_last 1 in its own repository, the warm tier's own keep_last 3 there
        Assert.Single((await hot.RunOkAsync("snapshots", "--json")).Json().EnumerateArray());
        var warmIds = (await warm.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToList();
        Assert.Equal(3, warmIds.Count);

        var plan = (await hot.RunOkAsync("forget", "--job", "nightly", "--config", config, "-n", "--json")).Json();
        Assert.True(plan.GetProperty("dry_run").GetBoolean());
        var tiers = plan.GetProperty("tiers").EnumerateArray().ToDictionary(t => t.GetProperty("repository").GetString()!);
        Assert.Equal("job nightly: keep_last 1", tiers["hot"].GetProperty("policy").GetString());
        Assert.Equal("repository warm: keep_last 3", tiers["warm"].GetProperty("policy").GetString());
        var warmKept = tiers["warm"].GetProperty("groups")[0].GetProperty("keep").EnumerateArray()
            .Select(k => (k.GetProperty("id").GetString()!, k.GetProperty("reasons")[0].GetString()!)).ToList();
        Assert.Equal(["last 1", "last 2", "last 3"], warmKept.Select(k => k.Item2));
        Assert.Equal(warmIds.OrderBy(id => id, StringComparer.Ordinal), warmKept.Select(k => k.Item1).OrderBy(id => id, StringComparer.Ordinal));

        var text = await hot.RunOkAsync("forget", "--job", "nightly", "--config", config, "--dry-run");
        Assert.Contains("tier warm (repository warm: keep_last 3):", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("repository hot (job nightly: keep_last 1):", text.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, (await warm.RunOkAsync("snapshots", "--json")).Json().GetArrayLength()); // a dry run removes nothing

        var status = await hot.RunOkAsync("status", "--job", "nightly", "--config", config, "--state-dir", state);
        var lines = status.Stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("  retention in warm (repository warm: keep_last 3) ", StringComparison.Ordinal) && l.EndsWith(": 1 removed, 3 kept", StringComparison.Ordinal));
        var warmLine = Array.FindIndex(lines, l => l.StartsWith("  retention in warm ", StringComparison.Ordinal));
        Assert.Equal(["last 1", "last 2", "last 3"], lines.Skip(warmLine + 1).Take(3).Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^    keep [0-9a-f]{8} \S+ \S+  (.+)$").Groups[1].Value));
        Assert.Contains(lines, l => l.StartsWith("  retention in hot (job nightly: keep_last 1) ", StringComparison.Ordinal));
        Assert.Matches(@"^nightly\s+\S+ \S+\s+\S+\s+1d 2h\s+ok", lines.Single(l => l.StartsWith("nightly", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("  tier warm: success ", StringComparison.Ordinal) && l.Contains(", newest " + warmIds[^1][..8], StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForgetJob_TierRuleKeepsOnlyAPartialSnapshot_NewestCompleteStillKept()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/file.txt"), "complete");
        File.WriteAllText(temp.Sub("flag"), "present");
        var hot = new CliRunner(temp.Sub("hot"), "hot-password");
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await hot.InitAsync();
        await warm.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, Config(temp, "{ keep_last: 1 }")
            .Replace("components: [data]", "components: [data, flaky]", StringComparison.Ordinal)
            .Replace("jobs:", $"  flaky: {{ type: command, command: [cat, {temp.Sub("flag")}], filename: flag.txt }}\njobs:", StringComparison.Ordinal));
        var state = temp.Sub("state");
        await hot.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", state, "-q");
        File.Delete(temp.Sub("flag")); // the next run is partial: copied to warm, where keep_last 1 keeps only it
        await hot.ExpectAsync(3, "backup", "--job", "nightly", "--config", config, "--state-dir", state, "-q");
        Assert.Equal(2, (await warm.RunOkAsync("snapshots", "--json")).Json().GetArrayLength());

        var plan = (await hot.RunOkAsync("forget", "--job", "nightly", "--config", config, "--dry-run", "--json")).Json();
        foreach (var tier in plan.GetProperty("tiers").EnumerateArray())
        {
            var kept = tier.GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("keep").EnumerateArray()).ToList();
            var name = tier.GetProperty("repository").GetString();
            Assert.True(kept.Any(k => k.GetProperty("complete").GetBoolean() && k.GetProperty("reasons").EnumerateArray().Any(r => r.GetString() == "last complete snapshot")), $"{name}: {tier}");
            Assert.Equal(0, tier.GetProperty("removed").GetInt32());
        }

        await hot.RunOkAsync("forget", "--job", "nightly", "--config", config);
        Assert.Equal(2, (await warm.RunOkAsync("snapshots", "--json")).Json().GetArrayLength());
    }
}
