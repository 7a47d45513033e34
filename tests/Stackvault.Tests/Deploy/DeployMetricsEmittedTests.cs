using System.Text.Json;
using System.Text.RegularExpressions;
using Stackvault.Repository.Model;
using Stackvault.Configuration;
using Stackvault.Jobs;
using Stackvault.Telemetry;
using Stackvault.Tests.Support;
using YamlDotNet.Serialization;

namespace Stackvault.Tests.Deploy;

/// <summary>
/// The alert rules and the dashboard against what the daemon really emits: a state with every feature used (runs of
/// each result, missed runs, tier copies of each result, retention and prune, verify, drill) recorded through the real
/// <see cref="StatusStore"/>, exposed by the real <see cref="MetricsBuilder"/> the daemon's /metrics uses. Every metric
/// an alert or a panel selects must be among the samples, with the labels its selector names.
/// </summary>
public sealed partial class DeployMetricsEmittedTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static IReadOnlyDictionary<string, HashSet<string>> Emitted()
    {
        var (config, problems) = ConfigLoader.LoadFromText("""
            repositories:
              hot:  { url: /tmp/hot, password: x }
              warm: { url: /tmp/warm, password: x }
              usb:  { url: /tmp/usb, password: x }
            components:
              docs: { type: files, paths: [/etc] }
              gen:  { type: command, command: [echo, hi], filename: gen.out }
            jobs:
              critical:
                repository: hot
                components: [docs, gen]
                schedule: "@every 5m"
                rpo: 1h
                retention: { keep_last: 2 }
                copy_to: [warm, usb]
                verify: { schedule: "@daily", read_data_subset: 1/3 }
                drill: { schedule: "@weekly" }
              bulk: { repository: hot, components: [docs], schedule: "0 3 * * 0" }
            """, "ops.yaml", _ => null);
        Assert.True(config is not null, string.Join("; ", problems));
        using var temp = new TempDirectory();
        var store = new StatusStore(temp.Path, new Stackvault.Tests.Crypto.FixedTimeProvider(Now));
        ComponentOutcome[] components = [new("docs", "files", ComponentStatus.Complete, 0.1, 100, null), new("gen", "command", ComponentStatus.Failed, 0.2, 0, "boom")];
        var success = new JobOutcome("critical", "hot", JobStatus.Success, Now.AddMinutes(-10), 12, "ab", 1000, 100, components, null)
        {
            Retention = new RetentionRecord(1, Now.AddMinutes(-9), Pruned: true),
        };
        success.TierCopies.Add(new TierCopyRecord("warm", TierCopyRecord.Success, Now.AddMinutes(-9), 0, null));
        success.TierCopies.Add(new TierCopyRecord("usb", TierCopyRecord.Skipped, Now.AddMinutes(-9), 3, "not present"));
        store.RecordRun(success);
        var partial = new JobOutcome("critical", "hot", JobStatus.Partial, Now.AddMinutes(-5), 10, "cd", 1000, 10, components, "gen: failed");
        partial.TierCopies.Add(new TierCopyRecord("warm", TierCopyRecord.Failure, Now.AddMinutes(-4), 1, "disk full"));
        store.RecordRun(partial);
        store.RecordRun(new JobOutcome("bulk", "hot", JobStatus.Failure, Now.AddMinutes(-3), 0.1, null, 0, 0, [], "repository not found"));
        store.RecordMissed("critical", 2, Now.AddMinutes(-20));
        store.RecordVerify("critical", new VerifyState { At = Now.AddMinutes(-2), Ok = true, Subset = "1/3" }, 3);
        store.RecordDrill("critical", success: true, rtoSeconds: 42, Now.AddMinutes(-1));

        var state = store.Load();
        var text = MetricsBuilder.Build(MonitoredJob.From(config, state), state, Now, "1.0.0");
        var samples = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Match m in Sample().Matches(text))
        {
            var labels = samples.TryGetValue(m.Groups[1].Value, out var set) ? set : samples[m.Groups[1].Value] = new HashSet<string>(StringComparer.Ordinal);
            labels.UnionWith(LabelName().Matches(m.Groups[2].Value).Select(l => l.Groups[1].Value));
        }

        return samples;
    }

    private static IEnumerable<(string Where, string Expr)> AlertExpressions() =>
        new DeserializerBuilder().Build().Deserialize<Dictionary<string, List<Dictionary<string, object>>>>(File.ReadAllText(DeployFiles.Alerts))["groups"]
            .SelectMany(g => ((List<object>)g["rules"]).Cast<Dictionary<object, object>>())
            .Select(r => ($"alert {r["alert"]}", (string)r["expr"]));

    private static IEnumerable<(string Where, string Expr)> DashboardExpressions()
    {
        var root = JsonDocument.Parse(File.ReadAllText(DeployFiles.Dashboard)).RootElement;
        var panels = root.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("panels", out var inner) ? [p, .. inner.EnumerateArray()] : new[] { p });
        var queries = panels.Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => ($"panel {p.GetProperty("title").GetString()}", t.GetProperty("expr").GetString()!)));
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
            .Where(v => v.GetProperty("type").GetString() == "query")
            .Select(v => ($"variable {v.GetProperty("name").GetString()}", LabelValuesMetric().Match(v.GetProperty("query").GetProperty("query").GetString()!).Groups[1].Value));
        return queries.Concat(variables);
    }

    [Fact]
    public void AlertRules_EveryMetricAndLabelIsEmittedByTheDaemon() => AssertEmitted(AlertExpressions());

    [Fact]
    public void Dashboard_EveryQueryMetricAndLabelIsEmittedByTheDaemon() => AssertEmitted(DashboardExpressions());

    private static void AssertEmitted(IEnumerable<(string Where, string Expr)> expressions)
    {
        var emitted = Emitted();
        var list = expressions.ToList();
        Assert.NotEmpty(list);
        foreach (var (where, expr) in list)
        {
            var names = DeployFiles.MetricNames(DeployFiles.Substitute(expr));
            Assert.NotEmpty(names);
            foreach (var name in names)
            {
                Assert.True(emitted.ContainsKey(name), $"{where}: {name} is not emitted by the daemon ({expr})");
            }

            foreach (Match selector in Selector().Matches(expr))
            {
                var labels = LabelName().Matches(selector.Groups[2].Value).Select(l => l.Groups[1].Value);
                Assert.All(labels, l => Assert.True(emitted[selector.Groups[1].Value].Contains(l), $"{where}: {selector.Groups[1].Value} has no label {l}"));
            }
        }
    }

    [GeneratedRegex(@"^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? \S+$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)\s*""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"(stackvault_[a-z0-9_]+)\{([^}]*)\}")]
    private static partial Regex Selector();

    [GeneratedRegex(@"label_values\(([a-z_:][a-z0-9_:]*)")]
    private static partial Regex LabelValuesMetric();
}
