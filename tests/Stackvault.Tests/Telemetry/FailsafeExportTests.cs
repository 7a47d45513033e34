using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>
/// The failsafe export (seed 002, "who watches the watchers"): after a backup --job and a drill, the configured file
/// holds each job's last result, its age against its RPO, the newest snapshot per tier and the last drill with its
/// RTO against the job's <c>rto</c>; written atomically (no temp file left beside it).
/// </summary>
public sealed class FailsafeExportTests
{
    [Fact]
    public async Task BackupAndDrill_WriteTheFailsafeDocument_WithRpoTiersAndRtoAgainstTheJobTarget()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/dashboard.json"), "{}");
        var hot = new CliRunner(temp.Sub("hot"), "hot-password");
        var warm = new CliRunner(temp.Sub("warm"), "warm-password");
        await hot.InitAsync();
        await warm.InitAsync();
        var export = temp.Sub("grafana-volume/stackvault-failsafe.json");
        var config = temp.Sub("stackvault.yaml");
        File.WriteAllText(config, $$"""
            repositories:
              hot: { url: {{temp.Sub("hot")}}, password: hot-password }
              warm: { url: {{temp.Sub("warm")}}, password: warm-password, retention: { keep_daily: 7 } }
            components:
              data: { type: files, paths: [{{temp.Sub("data")}}] }
            jobs:
              critical: { repository: hot, components: [data], copy_to: [warm], rpo: 1d, rto: { config: 2m } }
            failsafe: { path: {{export}} }
            """);
        var state = temp.Sub("state");

        await hot.RunOkAsync("backup", "--job", "critical", "--config", config, "--state-dir", state, "-q");

        var doc = JsonDocument.Parse(File.ReadAllText(export)).RootElement;
        Assert.Equal("stackvault-failsafe/1", doc.GetProperty("format").GetString());
        Assert.True(doc.GetProperty("ok").GetBoolean());
        var job = Assert.Single(doc.GetProperty("jobs").EnumerateArray());
        Assert.Equal("critical", job.GetProperty("job").GetString());
        Assert.Equal("success", job.GetProperty("last_result").GetProperty("status").GetString());
        Assert.Equal(86400, job.GetProperty("rpo_seconds").GetDouble());
        Assert.Equal("ok", job.GetProperty("rpo_state").GetString());
        Assert.True(job.GetProperty("age_seconds").GetDouble() < 86400);
        var tiers = job.GetProperty("tiers").EnumerateArray().ToDictionary(t => t.GetProperty("repository").GetString()!);
        var snapshot = job.GetProperty("last_result").GetProperty("snapshot").GetString();
        Assert.Equal(snapshot, tiers["hot"].GetProperty("newest_snapshot").GetProperty("id").GetString());
        var warmIds = (await warm.RunOkAsync("snapshots", "--json")).Json().EnumerateArray().Select(s => s.GetProperty("id").GetString()).ToList();
        Assert.Equal(warmIds.Single(), tiers["warm"].GetProperty("newest_snapshot").GetProperty("id").GetString());
        Assert.Equal("success", tiers["warm"].GetProperty("last_copy").GetString());
        Assert.Equal("repository warm: keep_daily 7", tiers["warm"].GetProperty("retention").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("drill").ValueKind);
        Assert.Equal(120, job.GetProperty("rto_targets").GetProperty("config_seconds").GetDouble());
        Assert.Equal(3600, job.GetProperty("rto_targets").GetProperty("data_seconds").GetDouble());

        var drill = await hot.RunOkAsync("drill", "--job", "critical", "--config", config, "--state-dir", state, "--json");
        Assert.Equal(120, drill.Json().GetProperty("components")[0].GetProperty("rto_target_seconds").GetDouble());

        doc = JsonDocument.Parse(File.ReadAllText(export)).RootElement;
        var drilled = doc.GetProperty("jobs")[0].GetProperty("drill");
        Assert.True(drilled.GetProperty("ok").GetBoolean());
        Assert.Equal(120, drilled.GetProperty("rto_target_seconds").GetDouble());
        Assert.True(drilled.GetProperty("rto_met").GetBoolean());
        Assert.True(drilled.GetProperty("rto_seconds").GetDouble() > 0);
        Assert.Equal([Path.GetFileName(export)], Directory.GetFiles(Path.GetDirectoryName(export)!).Select(Path.GetFileName)); // no temp file left

        var status = await hot.RunOkAsync("status", "--config", config, "--state-dir", state);
        Assert.Matches(@"^  drill: ok \S+ \S+, rto \S+ \(target 2:00\), last passed \S+ \S+$", status.Stdout.Split('\n').Single(l => l.StartsWith("  drill:", StringComparison.Ordinal)));
        var json = (await hot.RunOkAsync("status", "--config", config, "--state-dir", state, "--json")).Json();
        Assert.True(json.GetProperty("jobs")[0].GetProperty("drill").GetProperty("rto_met").GetBoolean());
    }

    [Fact]
    public async Task Drill_RtoTargetTooShort_StatusSaysMissed()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "a");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Stackvault.Tests.Jobs.JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              data: { type: files, paths: [{{temp.Sub("data")}}] }
            jobs:
              critical: { repository: main, components: [data], rto: 1ms }
            """);
        var state = temp.Sub("state");
        await cli.RunOkAsync("backup", "--job", "critical", "--config", config, "--state-dir", state, "-q");

        await cli.RunOkAsync("drill", "--job", "critical", "--config", config, "--state-dir", state); // a missed RTO is reported, not a failure

        var status = await cli.RunOkAsync("status", "--config", config, "--state-dir", state);
        Assert.Contains(", MISSED)", status.Stdout.Split('\n').Single(l => l.StartsWith("  drill:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
