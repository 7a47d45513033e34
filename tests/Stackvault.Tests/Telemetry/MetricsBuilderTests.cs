using Stackvault.Repository.Model;
using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>The metrics from state: names, counters from 0, RPO, escaping, and promtool's verdict on the format.</summary>
public sealed class MetricsBuilderTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly MonitoredJob Nightly = new("nightly", "main", "@daily", TimeSpan.FromHours(26), ["offsite"]);
    private static readonly MonitoredJob Hourly = new("hourly", "main", "@hourly", TimeSpan.FromHours(2), []);
    private static readonly MonitoredJob Odd = new("we\"ird\\job\nname", "main", null, null, []);

    private static JobOutcome Outcome(string job, JobStatus status, DateTimeOffset start) =>
        new(job, "main", status, start, 12.5, status == JobStatus.Failure ? null : "abcd", 1000, 200,
            [new ComponentOutcome("prom", "prometheus", status == JobStatus.Success ? ComponentStatus.Complete : ComponentStatus.Failed, 3.25, 900, null)], null);

    private static StatusFile State()
    {
        var state = new StatusFile();
        var nightly = state.Job("nightly");
        nightly.LastSuccess = Outcome("nightly", JobStatus.Success, Now.AddHours(-30));
        nightly.LastRun = Outcome("nightly", JobStatus.Partial, Now.AddHours(-6));
        nightly.RunsTotal["success"] = 4;
        nightly.RunsTotal["partial"] = 1;
        nightly.MissedRunsTotal = 2;
        nightly.Tiers["offsite"] = new TierState { Last = new TierCopyRecord("offsite", "failure", Now.AddHours(-6), 3, "timeout"), LastSuccessAt = Now.AddDays(-2), RunsTotal = { ["failure"] = 1 } };
        nightly.Verify = new VerifyState { At = Now.AddHours(-1), Ok = true, LastSuccessAt = Now.AddHours(-1) };
        nightly.Drill = new DrillState { At = Now.AddDays(-3), Ok = false, RtoSeconds = 321.5 };
        return state;
    }

    private static string Build(StatusFile state) => MetricsBuilder.Build([Nightly, Hourly, Odd], state, Now, "1.2.3");

    [Fact]
    public void Build_CountersStartAtZeroForEveryJobAndResult()
    {
        var text = Build(new StatusFile());
        foreach (var job in new[] { "nightly", "hourly" })
        {
            foreach (var result in new[] { "success", "partial", "failure" })
            {
                Assert.Contains($"stackvault_backup_runs_total{{job=\"{job}\",result=\"{result}\"}} 0\n", text, StringComparison.Ordinal);
            }

            Assert.Contains($"stackvault_backup_missed_runs_total{{job=\"{job}\"}} 0\n", text, StringComparison.Ordinal);
            Assert.Contains($"stackvault_retention_removed_snapshots_total{{job=\"{job}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (var result in new[] { "success", "skipped", "failure" })
        {
            Assert.Contains($"stackvault_tier_copy_runs_total{{job=\"nightly\",tier=\"offsite\",result=\"{result}\"}} 0\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("stackvault_rpo_breached{job=\"nightly\"} 1\n", text, StringComparison.Ordinal); // never succeeded
        Assert.DoesNotContain("stackvault_backup_last_success_timestamp_seconds{", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_up 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_build_info{version=\"1.2.3\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FromState_ReportsRunsRpoTiersVerifyDrill()
    {
        var text = Build(State());
        string[] expected =
        [
            $"stackvault_backup_last_success_timestamp_seconds{{job=\"nightly\"}} {Now.AddHours(-30).ToUnixTimeSeconds()}\n",
            $"stackvault_backup_last_run_timestamp_seconds{{job=\"nightly\"}} {Now.AddHours(-6).ToUnixTimeSeconds()}\n",
            "stackvault_backup_last_status{job=\"nightly\"} 0\n",
            "stackvault_backup_duration_seconds{job=\"nightly\"} 12.5\n",
            "stackvault_backup_size_bytes{job=\"nightly\"} 1000\n",
            "stackvault_backup_added_bytes{job=\"nightly\"} 200\n",
            "stackvault_backup_runs_total{job=\"nightly\",result=\"success\"} 4\n",
            "stackvault_backup_runs_total{job=\"nightly\",result=\"partial\"} 1\n",
            "stackvault_backup_missed_runs_total{job=\"nightly\"} 2\n",
            "stackvault_component_last_status{job=\"nightly\",component=\"prom\"} 0\n",
            "stackvault_component_duration_seconds{job=\"nightly\",component=\"prom\"} 3.25\n",
            "stackvault_component_size_bytes{job=\"nightly\",component=\"prom\"} 900\n",
            "stackvault_rpo_seconds{job=\"nightly\"} 93600\n",
            "stackvault_backup_age_seconds{job=\"nightly\"} 108000\n",
            "stackvault_rpo_breached{job=\"nightly\"} 1\n",
            "stackvault_rpo_breached{job=\"hourly\"} 1\n",
            $"stackvault_tier_copy_last_success_timestamp_seconds{{job=\"nightly\",tier=\"offsite\"}} {Now.AddDays(-2).ToUnixTimeSeconds()}\n",
            "stackvault_tier_copy_runs_total{job=\"nightly\",tier=\"offsite\",result=\"failure\"} 1\n",
            "stackvault_tier_lag_snapshots{job=\"nightly\",tier=\"offsite\"} 3\n",
            "stackvault_verify_last_status{job=\"nightly\"} 1\n",
            "stackvault_drill_last_status{job=\"nightly\"} 0\n",
            "stackvault_drill_rto_seconds{job=\"nightly\"} 321.5\n",
        ];
        Assert.All(expected, line => Assert.Contains(line, text, StringComparison.Ordinal));
        Assert.DoesNotContain("stackvault_drill_last_success_timestamp_seconds{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithinRpo_NotBreached()
    {
        var state = State();
        state.Jobs["nightly"].LastSuccess = Outcome("nightly", JobStatus.Success, Now.AddHours(-25));
        Assert.Contains("stackvault_rpo_breached{job=\"nightly\"} 0\n", Build(state), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LabelValues_AreEscaped()
    {
        Assert.Contains("stackvault_backup_missed_runs_total{job=\"we\\\"ird\\\\job\\nname\"} 0\n", Build(new StatusFile()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_PassesPromtoolCheckMetrics()
    {
        using var temp = new TempDirectory();
        var file = temp.Sub("m.prom");
        File.WriteAllText(file, Build(State()));
        var (code, output) = await PromtoolStdin.CheckMetricsAsync(file);
        Assert.True(code == 0, output);
    }
}
