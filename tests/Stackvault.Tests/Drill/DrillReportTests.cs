using Stackvault.Drill;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Drill;

/// <summary>The report's renderings and the drill metrics: hostile names stay escaped, files are replaced atomically.</summary>
public sealed class DrillReportTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    private static DrillReport Report(bool passed, string job = "stack", string component = "pg") => new(
        job, "0123456789abcdef", At.AddHours(-1), At, At.AddMinutes(2),
        [
            new DrillComponentResult(component, "postgres", passed, 12, 30, 3, 4096, 3600,
                [DrillCheckResult.Compare("rows.public.orders", 1000, passed ? 1000 : 999)], null),
            new DrillComponentResult("grafana", "grafana", true, 400, 1, 1, 1024, 300, [DrillCheckResult.Pass("integrity_check", "ok")], null),
        ]);

    [Fact]
    public void Render_Passed_HasTheThreeMetricsWithTheJobLabel()
    {
        var text = DrillMetrics.Render(Report(passed: true));

        Assert.Contains("stackvault_drill_last_status{job=\"stack\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_drill_rto_seconds{job=\"stack\"} 443\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_drill_component_rto_seconds{job=\"stack\",component=\"pg\"} 42\n", text, StringComparison.Ordinal);
        Assert.Contains($"stackvault_drill_last_success_timestamp_seconds{{job=\"stack\"}} {At.AddMinutes(2).ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FailedWithoutPreviousSuccess_HasNoSuccessTimestamp()
    {
        var text = DrillMetrics.Render(Report(passed: false));

        Assert.Contains("stackvault_drill_last_status{job=\"stack\"} 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("last_success_timestamp_seconds{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTextfile_FailedAfterPassed_KeepsTheLastSuccess_HostileJobEscaped()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("m/drill.prom");
        const string job = "a\"b\\c\nd";

        await DrillMetrics.WriteTextfileAsync(Report(passed: true, job), path, CancellationToken.None);
        await DrillMetrics.WriteTextfileAsync(Report(passed: false, job), path, CancellationToken.None);

        var text = File.ReadAllText(path);
        Assert.Contains("stackvault_drill_last_status{job=\"a\\\"b\\\\c\\nd\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"stackvault_drill_last_success_timestamp_seconds{{job=\"a\\\"b\\\\c\\nd\"}} {At.AddMinutes(2).ToUnixTimeSeconds()}\n", text, StringComparison.Ordinal);
        Assert.Equal(["drill.prom"], Directory.GetFiles(temp.Sub("m")).Select(Path.GetFileName));
    }

    [Fact]
    public void Html_HostileNames_AreEscaped_AndFailuresMarked()
    {
        var html = DrillReportText.Html(Report(passed: false, job: "<script>alert(1)</script>", component: "pg&<b>"));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("pg&amp;&lt;b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("restored 999, recorded at backup 1000", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_HasATableRowPerComponent_RtoMissedFlagged_PipesEscaped()
    {
        var md = DrillReportText.Markdown(Report(passed: false, component: "a|b"));

        Assert.Contains("| a\\|b | postgres | **FAILED** | 12.0s | 30.0s | 42.0s | 60.0min |", md, StringComparison.Ordinal);
        Assert.Contains("| grafana | grafana | passed | 6.7min | 1.0s | 6.7min | 5.0min **missed** |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportFiles_WritesJsonMarkdownHtml_WithASafeFileName()
    {
        using var temp = new TempDirectory();

        var files = await DrillReportFiles.WriteAsync(Report(passed: true, job: "../../etc/x"), temp.Sub("r"), CancellationToken.None);

        Assert.All(files, f => Assert.Equal(temp.Sub("r"), Path.GetDirectoryName(f)));
        Assert.EndsWith("drill-_.._etc_x-20261121T080000Z.json", files[0], StringComparison.Ordinal);
        Assert.Contains("\"failed_components\": []", File.ReadAllText(files[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void FailureLine_NamesEachFailedComponentAndItsFirstProblem()
    {
        Assert.Equal("drill of job stack failed: pg (postgres): rows.public.orders: restored 999, recorded at backup 1000", Report(passed: false).FailureLine());
    }
}
