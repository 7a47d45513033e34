using Stackvault.Configuration;

namespace Stackvault.Tests.Configuration;

/// <summary><c>config show</c> asks each engine for its section (IEngine.Shown): every type's own keys, redacted.</summary>
public class ConfigShowEngineTests
{
    private const string Yaml = """
        version: 1
        repositories:
          local: { url: /srv/repo, password_file: /etc/pw }
        components:
          prom:    { type: prometheus, url: "http://127.0.0.1:9090/?token=abc", data_dir: /var/lib/prometheus }
          grafana: { type: grafana, database: /var/lib/grafana/grafana.db, config_file: /etc/grafana/grafana.ini }
          loki:    { type: loki, url: "http://127.0.0.1:3100", data_dir: /loki }
          tempo:   { type: tempo, url: "http://127.0.0.1:3200", data_dir: /var/tempo }
          pg:      { type: postgres, dsn: "host=127.0.0.1 dbname=app user=backup", password_file: /etc/pg }
          etc:     { type: files, paths: [/etc/prometheus] }
          shell:   { type: command, command: "pg_dump app | head", filename: dump/app.sql }
          mimir:   { type: bucket, url: "s3://mimir-blocks", layout: mimir }
          k8s:     { type: kubernetes, namespace: monitoring, objects: [{ kind: ConfigMap, name: grafana }] }
        jobs:
          all: { repository: local, components: [prom, grafana, loki, tempo, pg, etc, shell, mimir, k8s] }
        """;

    [Fact]
    public void Show_EveryEngine_ShowsItsOwnKeysWithSecretsRedacted()
    {
        var (config, problems) = ConfigLoader.LoadFromText(Yaml, "show.yaml", ConfigSamples.NoEnvironment);
        Assert.Empty(problems);
        var components = (Dictionary<string, object?>)ConfigDocument.ToTree(config!)["components"]!;
        object? Key(string component, string key) => ((Dictionary<string, object?>)components[component]!).GetValueOrDefault(key);

        Assert.Equal("http://127.0.0.1:9090/?token=***", Key("prom", "url"));
        Assert.Equal("/var/lib/prometheus", Key("prom", "data_dir"));
        Assert.Equal("/var/lib/grafana/grafana.db", Key("grafana", "database"));
        Assert.Equal("required", Key("loki", "flush"));
        Assert.Equal(false, Key("tempo", "include_compacted"));
        Assert.Equal("host=127.0.0.1 dbname=app user=backup", Key("pg", "dsn"));
        Assert.Equal("*** (file /etc/pg)", Key("pg", "password"));
        Assert.Equal(new[] { "/etc/prometheus" }, Assert.IsAssignableFrom<IEnumerable<string>>(Key("etc", "paths")));
        Assert.Equal("dump/app.sql", Key("shell", "filename"));
        Assert.Equal("mimir", Key("mimir", "layout"));
        Assert.Equal("monitoring", Key("k8s", "namespace"));
    }
}
