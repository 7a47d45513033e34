using System.Text.Json;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy;

/// <summary>deploy/grafana/stackvault-dashboard.json: structure, variables, data sources, and PromQL checked by promtool.</summary>
public class GrafanaDashboardTests
{
    private static readonly JsonElement Dashboard = JsonDocument.Parse(File.ReadAllText(DeployFiles.Dashboard)).RootElement;

    private static IEnumerable<JsonElement> Panels => Dashboard.GetProperty("panels").EnumerateArray()
        .SelectMany(p => p.TryGetProperty("panels", out var inner) ? [p, .. inner.EnumerateArray()] : new[] { p });

    private static IEnumerable<(string Title, string Expr)> Queries => Panels
        .Where(p => p.TryGetProperty("targets", out _))
        .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)));

    [Fact]
    public void Dashboard_SchemaAndVariables()
    {
        Assert.InRange(Dashboard.GetProperty("schemaVersion").GetInt32(), 36, 41);
        Assert.Equal("stackvault-backups", Dashboard.GetProperty("uid").GetString());
        var variables = Dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("datasource", variables["datasource"].GetProperty("type").GetString());
        Assert.Equal("prometheus", variables["datasource"].GetProperty("query").GetString());
        var job = variables["job"];
        Assert.Equal("query", job.GetProperty("type").GetString());
        Assert.Equal("${datasource}", job.GetProperty("datasource").GetProperty("uid").GetString());
        Assert.Equal("label_values(stackvault_backup_last_run_timestamp_seconds, job)", job.GetProperty("query").GetProperty("query").GetString());
        Assert.True(job.GetProperty("multi").GetBoolean());
        Assert.True(job.GetProperty("includeAll").GetBoolean());
    }

    [Fact]
    public void Panels_UniqueIds_DatasourceVariable_InsideTheGrid()
    {
        var ids = Panels.Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var panel in Panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.True(panel.GetProperty("datasource").GetProperty("uid").GetString() == "${datasource}", $"panel {title}");
            var grid = panel.GetProperty("gridPos");
            Assert.True(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32() <= 24, $"panel {title} is wider than the grid");
            foreach (var target in panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                Assert.Equal("${datasource}", target.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.Contains("$job", target.GetProperty("expr").GetString()!.Replace("stackvault_up", "$job").Replace("stackvault_build_info", "$job"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Panels_CoverTheOperationsViews()
    {
        var metrics = Queries.SelectMany(q => DeployFiles.MetricNames(q.Expr)).ToHashSet(StringComparer.Ordinal);
        foreach (var required in new[]
        {
            "stackvault_backup_age_seconds", "stackvault_rpo_seconds", "stackvault_backup_last_status", "stackvault_backup_size_bytes", "stackvault_backup_added_bytes",
            "stackvault_backup_duration_seconds", "stackvault_backup_runs_total", "stackvault_rpo_breached", "stackvault_tier_lag_snapshots",
            "stackvault_tier_copy_runs_total", "stackvault_verify_last_status", "stackvault_drill_last_status", "stackvault_component_last_status",
        })
        {
            Assert.Contains(required, metrics);
        }

        Assert.Contains(Panels, p => p.GetProperty("type").GetString() == "table" && p.GetProperty("title").GetString() == "Component status");
    }

    [Fact]
    public void Queries_UseOnlyTheDaemonsMetrics()
    {
        Assert.NotEmpty(Queries);
        foreach (var (title, expr) in Queries)
        {
            var names = DeployFiles.MetricNames(expr);
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.True(DeployFiles.Metrics.Contains(n), $"panel {title}: unknown metric {n} in {expr}"));
        }
    }

    [Fact]
    public async Task Queries_ParseAsPromQl_ByPromtool()
    {
        using var temp = new TempDirectory();
        var rules = new System.Text.StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        var i = 0;
        foreach (var (_, expr) in Queries)
        {
            rules.Append($"      - record: dashboard:query_{i++}\n        expr: {JsonSerializer.Serialize(DeployFiles.Substitute(expr))}\n");
        }

        var file = temp.Sub("dashboard-rules.yaml");
        await File.WriteAllTextAsync(file, rules.ToString());
        var (exitCode, output) = await Promtool.RunAsync("check", "rules", file);
        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {i} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolCheck_RejectsABrokenQuery()
    {
        // The check above is only worth something if promtool fails on bad PromQL in this form.
        using var temp = new TempDirectory();
        var file = temp.Sub("bad.yaml");
        await File.WriteAllTextAsync(file, "groups:\n  - name: d\n    rules:\n      - record: d:q\n        expr: " + JsonSerializer.Serialize(DeployFiles.Substitute("sum by (job (stackvault_up{job=~\"$job\"})")) + "\n");
        var (exitCode, _) = await Promtool.RunAsync("check", "rules", file);
        Assert.NotEqual(0, exitCode);
    }
}
