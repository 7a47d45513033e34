using Stackvault.Tests.Components.Prometheus;
using YamlDotNet.Serialization;

namespace Stackvault.Tests.Deploy;

/// <summary>deploy/prometheus/stackvault-alerts.yaml with the real promtool: syntax, unit tests, metric names.</summary>
public class PrometheusAlertRulesTests
{
    private static List<Dictionary<string, object>> Rules()
    {
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(File.ReadAllText(DeployFiles.Alerts));
        return [.. document["groups"].SelectMany(g => ((List<object>)g["rules"]).Cast<Dictionary<object, object>>())
            .Select(r => r.ToDictionary(e => (string)e.Key, e => e.Value))];
    }

    [Fact]
    public async Task CheckRules_Passes()
    {
        var (exitCode, output) = await Promtool.RunAsync("check", "rules", DeployFiles.Alerts);
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestRules_UnitTestsPass()
    {
        var (exitCode, output) = await Promtool.RunAsync("test", "rules", DeployFiles.AlertTests);
        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_CoverTheOperationsAlerts()
    {
        var names = Rules().Select(r => (string)r["alert"]).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var required in new[]
        {
            "StackvaultBackupFailed", "StackvaultBackupStale", "StackvaultBackupNeverSucceeded", "StackvaultBackupSlow", "StackvaultVerifyFailed",
            "StackvaultVerifyStale", "StackvaultDrillFailed", "StackvaultTierCopyFailing", "StackvaultTierLagging", "StackvaultDaemonDown",
        })
        {
            Assert.Contains(required, names);
        }

        Assert.All(Rules(), r => Assert.Contains(((Dictionary<object, object>)r["labels"])["severity"], new object[] { "critical", "warning" }));
    }

    [Fact]
    public void Rules_UseOnlyTheDaemonsMetrics()
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Rules())
        {
            var names = DeployFiles.MetricNames((string)rule["expr"]);
            Assert.All(names, n => Assert.True(DeployFiles.Metrics.Contains(n), $"{rule["alert"]}: unknown metric {n}"));
            used.UnionWith(names);
        }

        Assert.Contains("stackvault_rpo_breached", used);
        Assert.Contains("stackvault_up", used);
    }

    [Fact]
    public void MetricNames_FindsSelectorsOnly()
    {
        Assert.Equal(
            ["stackvault_up", "foo_total", "bar"],
            DeployFiles.MetricNames("absent(stackvault_up) or sum by (job, tier) (increase(foo_total{result=\"x y\"}[5m])) > on (job) group_left bar offset 1h"));
    }
}
