using System.Text.RegularExpressions;
using Stackvault.Tests.Notifications;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>
/// <c>backup --job</c> runs the whole pipeline: the job's retention, its copy_to tiers (a present one copied to, a
/// missing one skipped with a warning, not a failure), the notification targets, and the metrics of all of it.
/// </summary>
public sealed partial class JobAftercareWiringTests
{
    [Fact]
    public async Task BackupJob_RetentionTiersAndNotifications_AllRunAndAreCounted()
    {
        using var temp = new TempDirectory();
        using var receiver = new HttpReceiver();
        var etc = temp.Sub("etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "a.conf"), "v1");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var warm = new CliRunner(temp.Sub("warm"));
        await warm.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: test-password }
              warm: { url: {{temp.Sub("warm")}}, password: test-password }
              usb:  { url: {{temp.Sub("unmounted")}}/stackvault, password: test-password }
            components:
              etc: { type: files, paths: [{{etc}}] }
            jobs:
              nightly: { repository: main, components: [etc], retention: { keep_last: 1 }, copy_to: [warm, usb] }
            notifications:
              hook: { url: "generic+{{receiver.BaseUrl}}/hook", on: [success, partial, failure] }
            """);
        var metrics = temp.Sub("m.prom");

        var first = await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--metrics-textfile", metrics);
        File.WriteAllText(Path.Combine(etc, "a.conf"), "v2");
        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--metrics-textfile", metrics);

        Assert.Contains("usb", first.Stderr, StringComparison.Ordinal);
        Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var copied = Assert.Single(await JobManifests.AllAsync(temp.Sub("warm")));
        Assert.False(Directory.Exists(temp.Sub("unmounted")), "a skipped tier created its directory");
        await warm.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        Assert.Equal("v2", File.ReadAllText(temp.Sub("out") + "/etc" + etc + "/a.conf"));
        Assert.NotNull(copied.Original);

        var text = File.ReadAllText(metrics);
        Assert.Equal(2, Value(text, "stackvault_tier_copy_runs_total", "tier=\"warm\"", "result=\"success\""));
        Assert.Equal(2, Value(text, "stackvault_tier_copy_runs_total", "tier=\"usb\"", "result=\"skipped\""));
        Assert.Equal(1, Value(text, "stackvault_retention_removed_snapshots_total", "job=\"nightly\""));
        Assert.Equal(2, Value(text, "stackvault_backup_runs_total", "job=\"nightly\"", "result=\"success\""));

        var posts = receiver.Requests.ToList();
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal(("nightly", "success"), (p.Json.GetProperty("job").GetString(), p.Json.GetProperty("status").GetString())));
    }

    private static double Value(string exposition, string metric, params string[] labels)
    {
        var line = exposition.Split('\n').Single(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));
        return double.Parse(SampleValue().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\}\s+(\S+)$")]
    private static partial Regex SampleValue();
}
