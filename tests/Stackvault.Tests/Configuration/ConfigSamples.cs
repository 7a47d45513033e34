namespace Stackvault.Tests.Configuration;

/// <summary>YAML used by several configuration tests.</summary>
internal static class ConfigSamples
{
    /// <summary>The contract example of issue 5, verbatim.</summary>
    public const string Contract = """
        repositories:
          local: { url: /var/backups/stackvault, password_file: /etc/stackvault/password }
        components:
          prom:    { type: prometheus, url: "http://127.0.0.1:9090", data_dir: /var/lib/prometheus }
          grafana: { type: grafana, database: /var/lib/grafana/grafana.db, config_file: /etc/grafana/grafana.ini,
                     provisioning_dir: /etc/grafana/provisioning, url: "http://127.0.0.1:3000" }
          loki:    { type: loki, url: "http://127.0.0.1:3100", data_dir: /loki }
          tempo:   { type: tempo, url: "http://127.0.0.1:3200", data_dir: /var/tempo }
          pg:      { type: postgres, dsn: "host=127.0.0.1 port=5432 dbname=app user=backup", password_file: /etc/pg }
          etc:     { type: files, paths: [/etc/prometheus, /etc/loki] }
        jobs:
          critical: { repository: local, components: [grafana, prom, pg, etc] }
          bulk:     { repository: local, components: [loki, tempo] }
        """;

    public const string InlineSecret = "s3cr3t-Inline-Value";

    /// <summary>A config with an inline secret, for redaction tests.</summary>
    public const string WithInlineSecret = $"""
        repositories:
          local: {"{"} url: /srv/repo, password: "{InlineSecret}" {"}"}
        components:
          pg: {"{"} type: postgres, dsn: "host=db user=backup", password: "{InlineSecret}" {"}"}
        jobs:
          nightly: {"{"} repository: local, components: [pg] {"}"}
        """;

    public static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    public static readonly Func<string, string?> NoEnvironment = _ => null;
}
