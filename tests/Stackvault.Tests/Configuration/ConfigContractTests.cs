using Stackvault.Configuration;

namespace Stackvault.Tests.Configuration;

/// <summary>The contract example of issue 5 maps into the typed model exactly.</summary>
public class ConfigContractTests
{
    [Fact]
    public void ContractExample_ParsesIntoTheTypedModel()
    {
        var (config, problems) = ConfigLoader.LoadFromText(ConfigSamples.Contract, "contract.yaml", ConfigSamples.NoEnvironment);
        Assert.Empty(problems);
        Assert.NotNull(config);
        Assert.Equal("contract.yaml", config.SourceName);

        var local = Assert.Single(config.Repositories).Value;
        Assert.Equal(("local", "/var/backups/stackvault", 2), (local.Name, local.Url, local.Line));
        Assert.Equal(SecretSourceKind.File, local.Password!.Kind);
        Assert.Equal("file /etc/stackvault/password", local.Password.Source);

        Assert.Equal(["prom", "grafana", "loki", "tempo", "pg", "etc"], config.Components.Keys);
        var prom = Assert.IsType<PrometheusComponent>(config.Components["prom"]);
        Assert.Equal((new Uri("http://127.0.0.1:9090"), "/var/lib/prometheus", "prometheus", 4), (prom.Url, prom.DataDir, prom.Type, prom.Line));
        Assert.True(prom.Hooks.IsEmpty);

        var grafana = Assert.IsType<GrafanaComponent>(config.Components["grafana"]);
        Assert.Equal("/var/lib/grafana/grafana.db", grafana.Database);
        Assert.Equal("/etc/grafana/grafana.ini", grafana.ConfigFile);
        Assert.Equal("/etc/grafana/provisioning", grafana.ProvisioningDir);
        Assert.Null(grafana.PluginsDir);
        Assert.Equal(new Uri("http://127.0.0.1:3000"), grafana.Url);
        Assert.Null(grafana.ApiToken);

        var loki = Assert.IsType<LokiComponent>(config.Components["loki"]);
        Assert.Equal((new Uri("http://127.0.0.1:3100"), "/loki"), (loki.Url, loki.DataDir));
        var tempo = Assert.IsType<TempoComponent>(config.Components["tempo"]);
        Assert.Equal((new Uri("http://127.0.0.1:3200"), "/var/tempo"), (tempo.Url, tempo.DataDir));

        var pg = Assert.IsType<PostgresComponent>(config.Components["pg"]);
        Assert.Equal("host=127.0.0.1 port=5432 dbname=app user=backup", pg.Dsn);
        Assert.Equal("file /etc/pg", pg.Password!.Source);
        Assert.Empty(pg.Databases);

        var etc = Assert.IsType<FilesComponent>(config.Components["etc"]);
        Assert.Equal(["/etc/prometheus", "/etc/loki"], etc.Paths);
        Assert.Empty(etc.Exclude);

        Assert.Equal(["critical", "bulk"], config.Jobs.Keys);
        var critical = config.Jobs["critical"];
        Assert.Equal("local", critical.Repository);
        Assert.Equal(["grafana", "prom", "pg", "etc"], critical.Components);
        Assert.Equal(["loki", "tempo"], config.Jobs["bulk"].Components);
        Assert.Null(critical.Schedule);
        Assert.Null(critical.Retention);
        Assert.Empty(critical.CopyTo);
        Assert.Empty(critical.Tags);
        Assert.True(critical.Hooks.IsEmpty);
    }

    [Fact]
    public void ContractExample_ShowRoundTrips()
    {
        var config = ConfigLoader.LoadFromText(ConfigSamples.Contract, "a", ConfigSamples.NoEnvironment).Config!;
        var yaml = ConfigDocument.ToYaml(config);

        // The shown YAML loads again (secrets become "***" strings, so the password keys are dropped first).
        var reloaded = ConfigLoader.LoadFromText(yaml.Replace("password: '*** (file /etc/stackvault/password)'", "password_file: /etc/stackvault/password", StringComparison.Ordinal)
            .Replace("password: '*** (file /etc/pg)'", "password_file: /etc/pg", StringComparison.Ordinal), "b", ConfigSamples.NoEnvironment);
        Assert.Empty(reloaded.Problems);
        Assert.Equal(ConfigDocument.ToYaml(reloaded.Config!), yaml);
    }
}
