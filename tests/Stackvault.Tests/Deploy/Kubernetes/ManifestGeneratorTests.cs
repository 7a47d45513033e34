using Stackvault.Deploy.Kubernetes;
using Stackvault.Errors;
using Stackvault.Tests.Support;
using static Stackvault.Tests.Deploy.Kubernetes.ManifestSamples;

namespace Stackvault.Tests.Deploy.Kubernetes;

/// <summary>What <c>k8s manifests</c> generates, validated against the official schemas.</summary>
public class ManifestGeneratorTests
{
    [Theory]
    [InlineData(ManifestOptions.Daemon)]
    [InlineData(ManifestOptions.CronJob)]
    public async Task Generate_SampleConfig_EveryObjectPassesTheKubernetesSchemas(string scheduler)
    {
        using var temp = new TempDirectory();
        var (config, options) = Sample(scheduler);
        var objects = ManifestGenerator.Generate(config, options);
        var file = temp.Sub("all.yaml");
        File.WriteAllText(file, ManifestWriter.Stream(objects));

        var validated = await SchemaValidator.ValidateAsync(file);

        Assert.Equal(objects.Select(o => (o.Kind, o.Name)), validated);
        var kinds = validated.Select(v => v.Kind).ToList();
        Assert.Equal(3, kinds.Count(k => k == "CronJob"));
        Assert.Contains("PrometheusRule", kinds);
        Assert.Contains("Job", kinds);
        Assert.DoesNotContain("Secret", kinds); // Secrets are referenced, never written
        Assert.Equal(scheduler == ManifestOptions.Daemon, kinds.Contains("Deployment"));
        Assert.Equal(scheduler == ManifestOptions.Daemon, kinds.Contains("ServiceMonitor"));
    }

    [Fact]
    public void Generate_CronJob_HasTheSafetySettings()
    {
        var (config, options) = Sample(ManifestOptions.CronJob);

        var cron = ManifestGenerator.Generate(config, options).Single(o => o.Name == "stackvault-bulk");

        Assert.Equal("0 3 * * 0", At(cron, "spec.schedule"));
        Assert.Equal("UTC", At(cron, "spec.timeZone"));
        Assert.Equal(false, At(cron, "spec.suspend"));
        Assert.Equal("Forbid", At(cron, "spec.concurrencyPolicy"));
        Assert.Equal(600, At(cron, "spec.startingDeadlineSeconds"));
        Assert.Equal((3, 3), ((int)At(cron, "spec.successfulJobsHistoryLimit")!, (int)At(cron, "spec.failedJobsHistoryLimit")!));
        Assert.Equal(1, At(cron, "spec.jobTemplate.spec.backoffLimit"));
        Assert.Equal((4 * 3600L) + 600, At(cron, "spec.jobTemplate.spec.activeDeadlineSeconds")); // timeout 4h + 10m
        // no retry where it cannot help (usage, partial, no repository, wrong password); evictions are not failures
        Assert.Equal("FailJob", At(cron, "spec.jobTemplate.spec.podFailurePolicy.rules.0.action"));
        Assert.Equal(new List<object?> { 2, 3, 10, 12 }, At(cron, "spec.jobTemplate.spec.podFailurePolicy.rules.0.onExitCodes.values"));
        Assert.Equal("stackvault", At(cron, "spec.jobTemplate.spec.podFailurePolicy.rules.0.onExitCodes.containerName"));
        Assert.Equal(("Ignore", "DisruptionTarget"), ((string)At(cron, "spec.jobTemplate.spec.podFailurePolicy.rules.1.action")!, (string)At(cron, "spec.jobTemplate.spec.podFailurePolicy.rules.1.onPodConditions.0.type")!));
        Assert.Equal("Never", At(cron, "spec.jobTemplate.spec.template.spec.restartPolicy")); // podFailurePolicy requires it
        const string pod = "spec.jobTemplate.spec.template.spec.";
        Assert.Equal(true, At(cron, pod + "securityContext.runAsNonRoot"));
        Assert.Equal(10001, At(cron, pod + "securityContext.runAsUser"));
        Assert.Equal(true, At(cron, pod + "containers.0.securityContext.readOnlyRootFilesystem"));
        Assert.Equal(false, At(cron, pod + "containers.0.securityContext.allowPrivilegeEscalation"));
        Assert.Equal("2Gi", At(cron, pod + "containers.0.resources.limits.memory"));
        Assert.Equal(new List<object?> { "backup", "--job", "bulk", "--config", ManifestGenerator.ConfigPath }, At(cron, pod + "containers.0.args"));
        // a fixed host name: snapshots record it and job retention groups by it (each run's pod name would never prune)
        Assert.Equal("stackvault", At(cron, pod + "hostname"));
    }

    [Fact]
    public void Generate_DaemonMode_CronJobsSuspendedAndTheDaemonServesMetrics()
    {
        var (config, options) = Sample();
        var objects = ManifestGenerator.Generate(config, options);

        Assert.All(objects.Where(o => o.Kind == "CronJob"), c => Assert.Equal(true, At(c, "spec.suspend")));
        var daemon = objects.Single(o => o.Kind == "Deployment");
        Assert.Equal(
            new List<object?> { "run", "--config", ManifestGenerator.ConfigPath, "--listen", "0.0.0.0:9464", "--state-dir", "/var/lib/stackvault", "--shutdown-grace", "30" },
            At(daemon, "spec.template.spec.containers.0.args"));
        Assert.Equal("/healthz", At(daemon, "spec.template.spec.containers.0.readinessProbe.httpGet.path"));
        Assert.Equal("/healthz", At(daemon, "spec.template.spec.containers.0.livenessProbe.httpGet.path"));
        Assert.Equal("stackvault", At(daemon, "spec.template.spec.hostname")); // same host as the CronJobs' runs: one retention group
        // the kubelet's SIGKILL must come after the daemon's --shutdown-grace, or cancelled jobs leave their locks behind
        Assert.True((int)At(daemon, "spec.template.spec.terminationGracePeriodSeconds")! > ManifestGenerator.ShutdownGraceSeconds);
        var service = objects.Single(o => o.Kind == "Service");
        Assert.Equal(9464, At(service, "spec.ports.0.port"));
        var monitor = objects.Single(o => o.Kind == "ServiceMonitor");
        Assert.Equal("metrics", At(monitor, "spec.endpoints.0.port"));
        // the metrics' `job` label is the Stackvault job (rules and dashboard use it): not renamed to exported_job
        Assert.Equal(true, At(monitor, "spec.endpoints.0.honorLabels"));
        var dashboard = objects.Single(o => o.Name == "stackvault-dashboard");
        Assert.Equal("1", At(dashboard, "metadata.labels.grafana_dashboard"));
        Assert.Equal(DashboardStandIn, ((Dictionary<string, object?>)At(dashboard, "data")!)["stackvault-dashboard.json"]);
        var rule = objects.Single(o => o.Kind == "PrometheusRule");
        Assert.Equal("StackvaultBackupStale", At(rule, "spec.groups.0.rules.0.alert"));
        var configMap = objects.Single(o => o.Name == "stackvault-config");
        Assert.Equal(File.ReadAllText(SampleConfigPath), ((Dictionary<string, object?>)At(configMap, "data")!)["stackvault.yaml"]);
    }

    [Theory]
    [InlineData("# comment\nrepositories:\n  r: { url: s3://backups/p }\n", "stackvault.yaml: |\n    # comment\n")]
    [InlineData("trailing space \nno final newline", "stackvault.yaml: ")]
    [InlineData("  leading indent\n\ttab\n\n\n", "stackvault.yaml: ")]
    public void ToYaml_MultiLineConfigText_ReadableLiteralBlockAndAlwaysReadBackExactly(string text, string expected)
    {
        var configMap = ManifestGenerator.Generate(Load("repositories: { r: { url: s3://backups/p, password_file: /p } }\ncomponents: { f: { type: files, paths: [/etc] } }\njobs: { j: { repository: r, components: [f] } }"),
            new ManifestOptions { ConfigText = text }).Single(o => o.Name == "stackvault-config");

        var yaml = ManifestWriter.ToYaml(configMap);

        Assert.Contains(expected, yaml, StringComparison.Ordinal);
        var read = new YamlDotNet.Serialization.DeserializerBuilder().Build().Deserialize<Dictionary<string, Dictionary<string, string>>>(
            string.Join('\n', yaml.Split('\n').SkipWhile(l => !l.StartsWith("data:", StringComparison.Ordinal))));
        Assert.Equal(text, read["data"]["stackvault.yaml"]);
    }

    [Fact]
    public void Generate_InlineSecretInConfig_RefusedAsUsageError()
    {
        var config = Load("""
            repositories: { r: { url: /srv/repo, password: hunter2 } }
            components: { f: { type: files, paths: [/etc] } }
            jobs: { j: { repository: r, components: [f], schedule: "@daily" } }
            """);

        var error = Assert.ThrowsAny<StackvaultException>(() => ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x" }));

        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(error).Code);
        Assert.Contains("repositories.r.password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("@every 15m", "*/15 * * * *")]
    [InlineData("@every 6h", "0 */6 * * *")]
    [InlineData("@every 24h", "0 0 * * *")]
    [InlineData("@daily", "@daily")]
    [InlineData("30 2 * * 1-5", "30 2 * * 1-5")]
    public void Generate_Schedule_BecomesACronJobSchedule(string schedule, string expected)
    {
        var config = Load($"repositories: {{ r: {{ url: s3://backups/p, password_file: /p }} }}\ncomponents: {{ f: {{ type: files, paths: [/etc] }} }}\njobs: {{ j: {{ repository: r, components: [f], schedule: \"{schedule}\" }} }}");

        var cron = ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x" }).Single(o => o.Kind == "CronJob");

        Assert.Equal(expected, At(cron, "spec.schedule"));
    }

    [Fact]
    public void Generate_ScheduleCronCannotSay_UsageErrorNamingTheJob()
    {
        var config = Load("repositories: { r: { url: s3://backups/p, password_file: /p } }\ncomponents: { f: { type: files, paths: [/etc] } }\njobs: { j: { repository: r, components: [f], schedule: \"@every 7m\" } }");

        var error = Assert.ThrowsAny<StackvaultException>(() => ManifestGenerator.Generate(config, new ManifestOptions { ConfigText = "x" }));

        Assert.Equal(ExitCode.Usage, Stackvault.Cli.ErrorMapper.Map(error).Code);
        Assert.Contains("job j", error.Message, StringComparison.Ordinal);
    }
}
