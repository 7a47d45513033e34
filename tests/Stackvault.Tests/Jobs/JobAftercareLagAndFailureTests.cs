using System.Text.RegularExpressions;
using Stackvault.Tests.Notifications;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>
/// The operator's view of the aftercare through the real CLI: a tier that is away shows how far it is behind (not 0),
/// catches up when it is back; a partial run notifies "partial" and deletes nothing; a missing repository is a
/// counted failure that notifies.
/// </summary>
public sealed partial class JobAftercareLagAndFailureTests
{
    [Fact]
    public async Task BackupJob_TierAway_LagCountsMissedSnapshots_ThenCatchesUpToZero()
    {
        using var temp = new TempDirectory();
        var etc = temp.Sub("etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "a.conf"), "v1");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: test-password }
              usb:  { url: {{temp.Sub("usb")}}, password: test-password }
            components:
              etc: { type: files, paths: [{{etc}}] }
            jobs:
              nightly: { repository: main, components: [etc], retention: { keep_last: 5 }, copy_to: [usb] }
            """);
        var metrics = temp.Sub("m.prom");

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--metrics-textfile", metrics);
        File.WriteAllText(Path.Combine(etc, "a.conf"), "v2");
        var second = await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--metrics-textfile", metrics, "--log-format", "json");

        Assert.Equal(2, Value(File.ReadAllText(metrics), "stackvault_tier_lag_snapshots", "tier=\"usb\""));
        var records = second.Stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var skipped = Assert.Single(records, r => r.GetProperty("msg").GetString() == "tier copy skipped");
        Assert.Equal(("warn", "nightly", "usb", 2), (skipped.GetProperty("level").GetString(), skipped.GetProperty("job").GetString(), skipped.GetProperty("tier").GetString(), skipped.GetProperty("lag_snapshots").GetInt32()));
        Assert.DoesNotContain("copy to usb skipped", second.Stderr, StringComparison.Ordinal); // not also as a text warning

        await new CliRunner(temp.Sub("usb")).InitAsync();
        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--metrics-textfile", metrics);

        var text = File.ReadAllText(metrics);
        Assert.Equal(0, Value(text, "stackvault_tier_lag_snapshots", "tier=\"usb\""));
        Assert.Equal(1, Value(text, "stackvault_tier_copy_runs_total", "tier=\"usb\"", "result=\"success\""));
        Assert.Equal(3, (await JobManifests.AllAsync(temp.Sub("usb"))).Count);
    }

    [Fact]
    public async Task BackupJob_ComponentFails_PartialNotified_RetentionNotApplied()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var etc = temp.Sub("etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "a.conf"), "v1");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: test-password }
            components:
              etc: { type: files, paths: [{{etc}}] }
              bad: { type: command, command: "echo boom >&2; exit 3", filename: bad.out }
            jobs:
              flaky: { repository: main, components: [etc, bad], retention: { keep_last: 1 } }
            notifications:
              hook: { url: "generic+{{receiver.BaseUrl}}/hook" }
            """);
        var metrics = temp.Sub("m.prom");

        for (var i = 0; i < 3; i++)
        {
            await cli.ExpectAsync(3, "backup", "--job", "flaky", "--config", config, "--metrics-textfile", metrics);
        }

        Assert.Equal(3, (await JobManifests.AllAsync(temp.Sub("repo"))).Count);
        var text = File.ReadAllText(metrics);
        Assert.Equal(3, Value(text, "stackvault_backup_runs_total", "job=\"flaky\"", "result=\"partial\""));
        Assert.Equal(0, Value(text, "stackvault_retention_removed_snapshots_total", "job=\"flaky\""));
        Assert.Equal(0, Value(text, "stackvault_component_last_status", "component=\"bad\""));
        Assert.DoesNotContain("stackvault_prune_last_success_timestamp_seconds{", text, StringComparison.Ordinal);
        var posts = receiver.Requests.ToList();
        Assert.Equal(3, posts.Count);
        Assert.All(posts, p => Assert.Equal("partial", p.Json.GetProperty("status").GetString()));
        Assert.Contains("boom", posts[0].Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackupJob_RepositoryMissing_FailureCountedAndNotified()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var cli = new CliRunner(temp.Sub("gone"));
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              gone: { url: {{temp.Sub("gone")}}, password: test-password }
            components:
              etc: { type: files, paths: [{{temp.Path}}] }
            jobs:
              orphan: { repository: gone, components: [etc] }
            notifications:
              hook: { url: "generic+{{receiver.BaseUrl}}/hook" }
            """);
        var metrics = temp.Sub("m.prom");

        var result = await cli.RunAsync("backup", "--job", "orphan", "--config", config, "--metrics-textfile", metrics);

        Assert.Equal(10, result.ExitCode);
        var text = File.ReadAllText(metrics);
        Assert.Equal(1, Value(text, "stackvault_backup_runs_total", "job=\"orphan\"", "result=\"failure\""));
        Assert.Equal(0, Value(text, "stackvault_backup_last_status", "job=\"orphan\""));
        var post = receiver.Single();
        Assert.Equal("failure", post.Json.GetProperty("status").GetString());
        Assert.Contains("not found", post.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static double Value(string exposition, string metric, params string[] labels)
    {
        var line = exposition.Split('\n').Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));
        return double.Parse(SampleValue().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\}\s+(\S+)$")]
    private static partial Regex SampleValue();
}
