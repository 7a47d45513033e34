using Stackvault.Configuration;
using Stackvault.Deploy.Kubernetes;
using Stackvault.Tests.Configuration;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>Configs and stand-in dashboard/rules files for the manifest tests.</summary>
internal static class ManifestSamples
{
    public static string SampleConfigPath => Path.Combine(S3rverFixture.RepositoryRoot, "deploy", "kubernetes", "stackvault.yaml");

    /// <summary>A small stand-in for the real dashboard (another issue writes deploy/grafana/stackvault-dashboard.json).</summary>
    public const string DashboardStandIn = """{"title":"Stackvault (stand-in)","uid":"stackvault","panels":[]}""";

    /// <summary>A small stand-in for deploy/prometheus/stackvault-alerts.yaml.</summary>
    public const string RulesStandIn = """
        groups:
          - name: stackvault-stand-in
            interval: 1m
            rules:
              - alert: StackvaultBackupStale
                expr: time() - stackvault_last_success_timestamp_seconds > 2 * 86400
                for: 15m
                labels: { severity: critical }
                annotations: { summary: "no successful backup of {{ $labels.job }} for two days" }
        """;

    public static StackvaultConfig Load(string yaml)
    {
        var (config, problems) = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment);
        Assert.True(config is not null, string.Join("\n", problems));
        return config;
    }

    public static (StackvaultConfig Config, ManifestOptions Options) Sample(string scheduler = ManifestOptions.Daemon)
    {
        var text = File.ReadAllText(SampleConfigPath);
        return (Load(text), new ManifestOptions { ConfigText = text, Scheduler = scheduler, DashboardJson = DashboardStandIn, AlertRulesYaml = RulesStandIn });
    }

    /// <summary>A value in a generated object's tree by a dotted path (<c>spec.jobTemplate.spec.backoffLimit</c>; list items as numbers).</summary>
    public static object? At(GeneratedObject generated, string path)
    {
        object? node = generated.Body;
        foreach (var part in path.Split('.'))
        {
            node = node switch
            {
                Dictionary<string, object?> map => map.GetValueOrDefault(part),
                List<object?> list => list[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)],
                _ => null,
            };
        }

        return node;
    }
}
