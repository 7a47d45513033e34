using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary><c>stackvault status</c>: exit 0 when every job with an rpo is within it, 4 when breached or never succeeded.</summary>
public sealed class StatusCommandTests
{
    private static string Yaml(string data) => $"""
        components:
          data: {"{"} type: files, paths: [{data}] {"}"}
        jobs:
          nightly: {"{"} repository: main, components: [data], rpo: 1h {"}"}
          adhoc: {"{"} repository: main, components: [data] {"}"}
        """;

    [Fact]
    public async Task Status_NeverSucceeded_Exit4_ThenBackup_Exit0()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "a");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data")));
        var state = temp.Sub("state");

        var before = await cli.ExpectAsync(4, "status", "--config", config, "--state-dir", state, "--json");
        var job = before.Json().GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job").GetString() == "nightly");
        Assert.Equal(("never_succeeded", true), (job.GetProperty("rpo_state").GetString(), job.GetProperty("rpo_breached").GetBoolean()));

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", state, "-q");

        var after = await cli.ExpectAsync(0, "status", "--config", config, "--state-dir", state, "--json");
        var jobs = after.Json().GetProperty("jobs").EnumerateArray().ToDictionary(j => j.GetProperty("job").GetString()!);
        Assert.Equal("ok", jobs["nightly"].GetProperty("rpo_state").GetString());
        Assert.Equal("success", jobs["nightly"].GetProperty("last_run").GetProperty("status").GetString());
        Assert.Equal("no_rpo", jobs["adhoc"].GetProperty("rpo_state").GetString());
        var text = await cli.ExpectAsync(0, "status", "--config", config, "--state-dir", state);
        Assert.Contains("nightly", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_LastSuccessOlderThanRpo_Exit4_EvenIfTheLastRunWasPartial()
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data")));
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        store.RecordRun(new JobOutcome("nightly", "main", JobStatus.Success, now.AddHours(-2), 1, "id", 1, 1, [], null));
        store.RecordRun(new JobOutcome("nightly", "main", JobStatus.Partial, now.AddMinutes(-5), 1, "id2", 1, 1, [], "a component failed"));
        var cli = new CliRunner(temp.Sub("repo"));

        var result = await cli.ExpectAsync(4, "status", "--config", config, "--state-dir", temp.Sub("state"));
        Assert.Contains("breached", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("a component failed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_StateDirFromEnvironment_AndHelpListsExit4()
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data")));
        new StatusStore(temp.Sub("env-state"), TimeProvider.System).RecordRun(
            new JobOutcome("nightly", "main", JobStatus.Success, DateTimeOffset.UtcNow.AddMinutes(-1), 1, "id", 1, 1, [], null));
        var cli = new CliRunner(temp.Sub("repo"));
        cli.Environment["STACKVAULT_STATE_DIR"] = temp.Sub("env-state");

        await cli.ExpectAsync(0, "status", "--config", config);
        var help = await cli.RunOkAsync("--help");
        Assert.Contains("4 RPO breached", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Text_ShowsEachTierWithLagAndWhy_AndTheDrill()
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data")));
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        var run = new JobOutcome("nightly", "main", JobStatus.Success, now.AddMinutes(-3), 1, "id", 1, 1, [], null);
        run.TierCopies.Add(new TierCopyRecord("warm", TierCopyRecord.Success, now.AddMinutes(-2), 0, null, 1));
        run.TierCopies.Add(new TierCopyRecord("usb", TierCopyRecord.Skipped, now.AddMinutes(-2), 3, "/media/usb is not present"));
        store.RecordRun(run);
        store.RecordDrill("nightly", success: false, rtoSeconds: 75, now.AddMinutes(-1));
        var cli = new CliRunner(temp.Sub("repo"));

        var result = await cli.ExpectAsync(0, "status", "--config", config, "--state-dir", temp.Sub("state"));

        var lines = result.Stdout.Split('\n');
        Assert.Matches(@"^  tier usb: skipped \S+ \S+, lag 3 snapshots, last success never: /media/usb is not present$", lines.Single(l => l.StartsWith("  tier usb:", StringComparison.Ordinal)));
        Assert.Matches(@"^  tier warm: success \S+ \S+, lag 0 snapshots, last success \S+ \S+$", lines.Single(l => l.StartsWith("  tier warm:", StringComparison.Ordinal)));
        Assert.Matches(@"^  drill: FAILED \S+ \S+, rto 1:15, last passed never$", lines.Single(l => l.StartsWith("  drill:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Status_NextRunLongPast_MarkedOverdue_FutureNot()
    {
        using var temp = new TempDirectory();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data")));
        var store = new StatusStore(temp.Sub("state"), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        store.RecordRun(new JobOutcome("nightly", "main", JobStatus.Success, now.AddMinutes(-10), 1, "id", 1, 1, [], null));
        store.RecordSchedule("nightly", now.AddMinutes(-10), now.AddMinutes(-5));
        store.RecordSchedule("adhoc", null, now.AddHours(1));
        var cli = new CliRunner(temp.Sub("repo"));

        var result = await cli.ExpectAsync(0, "status", "--config", config, "--state-dir", temp.Sub("state"));

        var lines = result.Stdout.Split('\n');
        Assert.EndsWith("(overdue: is `stackvault run` running?)", lines.Single(l => l.StartsWith("nightly ", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("overdue", lines.Single(l => l.StartsWith("adhoc ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
