using Stackvault.Configuration;

namespace Stackvault.Tests.Configuration;

/// <summary>Each class of mistake is reported with its YAML path, line and a clear message.</summary>
public class ConfigProblemTests
{
    private const string Base = """
        repositories:
          local: { url: /srv/repo, password_file: /etc/pw }
        components:
          prom: { type: prometheus, url: "http://127.0.0.1:9090", data_dir: /prometheus }

        """;

    public static TheoryData<string, string, int, string> Cases => new()
    {
        // unknown keys, with and without a suggestion
        { "jobs:\n  j: { repository: local, componets: [prom] }", "jobs.j.componets", 6, "unknown key (did you mean 'components'?)" },
        { "jobs:\n  j: { repository: local, components: [prom], colour: red }", "jobs.j.colour", 6, "unknown key" },
        { "jbos:\n  j: {}", "jbos", 5, "unknown key (did you mean 'jobs'?)" },
        // missing required keys per type
        { "  loki: { type: loki, url: \"http://l:3100\" }", "components.loki.data_dir", 5, "missing required key 'data_dir'" },
        { "  g: { type: grafana }", "components.g.database", 5, "missing required key 'database'" },
        { "  c: { type: command, filename: out.sql }", "components.c.command", 5, "missing required key 'command'" },
        { "  x: { url: \"http://x\" }", "components.x.type", 5, "missing required key 'type'" },
        // wrong types
        { "  f: { type: files, paths: /etc }", "components.f.paths", 5, "expected a list of strings" },
        { "  f: { type: files, paths: [/etc, { a: b }] }", "components.f.paths[1]", 5, "expected a non-empty string" },
        { "jobs: [a, b]", "jobs", 5, "expected a mapping of names to jobs" },
        // bad URLs
        { "  l: { type: loki, url: \"127.0.0.1:3100\", data_dir: /loki }", "components.l.url", 5, "not an absolute http(s) URL" },
        { "  l: { type: loki, url: \"http://u:p@loki:3100\", data_dir: /loki }", "components.l.url", 5, "must not contain user information" },
        { "  b: { type: bucket, url: \"ftp://b\", layout: mimir }", "components.b.url", 5, "must be an absolute path or an s3://" },
        // Loki flush mode, Tempo compacted blocks
        { "  l: { type: loki, url: \"http://l:3100\", data_dir: /loki, flush: maybe }", "components.l.flush", 5, "must be required or optional" },
        { "  t: { type: tempo, url: \"http://t:3200\", data_dir: /tempo, include_compacted: yes }", "components.t.include_compacted", 5, "expected true or false" },
        // relative paths where absolute are required
        { "  t: { type: tempo, url: \"http://t:3200\", data_dir: var/tempo }", "components.t.data_dir", 5, "must be an absolute path" },
        { "  f: { type: files, paths: [/etc, etc/loki] }", "components.f.paths[1]", 5, "must be an absolute path" },
        // unknown component type, bucket layout
        { "  m: { type: prometeus }", "components.m.type", 5, "unknown component type (did you mean 'prometheus'?)" },
        { "  m: { type: zzzzzzzz }", "components.m.type", 5, "unknown component type: use one of prometheus, grafana" },
        { "  b: { type: bucket, url: \"s3://backups/p\", layout: nope }", "components.b.layout", 5, "unknown bucket layout" },
        // references
        { "jobs:\n  j: { repository: remote, components: [prom] }", "jobs.j.repository", 6, "unknown repository 'remote'" },
        { "jobs:\n  j: { repository: local, components: [prom, prm] }", "jobs.j.components[1]", 6, "unknown component 'prm' (did you mean 'prom'?)" },
        { "jobs:\n  j: { repository: local, components: [prom, prom] }", "jobs.j.components[1]", 6, "component listed twice" },
        { "jobs:\n  j: { repository: local, components: [prom], copy_to: [local] }", "jobs.j.copy_to", 6, "must not name the job's own repository" },
        { "jobs:\n  j: { repository: local }", "jobs.j.components", 6, "missing required key 'components'" },
        // duplicate names
        { "  prom: { type: files, paths: [/x] }", "components.prom", 5, "duplicate key" },
        { "  x: { type: files, paths: [/x], paths: [/y] }", "components.x.paths", 5, "duplicate key" },
        { "  my-db: { type: files, paths: [/x] }\n  my_db: { type: files, paths: [/y] }", "components.my_db", 6, "clashes with 'my-db'" },
        { "  repository-local: { type: files, paths: [/x] }", "components.repository-local", 5, "must not start with 'repository'" },
        // durations, schedules, retention
        { "jobs:\n  j: { repository: local, components: [prom], rpo: 1 }", "jobs.j.rpo", 6, "not a duration" },
        { "jobs:\n  j: { repository: local, components: [prom], timeout: 0s }", "jobs.j.timeout", 6, "must be longer than zero" },
        { "jobs:\n  j: { repository: local, components: [prom], schedule: \"@fortnightly\" }", "jobs.j.schedule", 6, "unknown schedule macro" },
        { "jobs:\n  j: { repository: local, components: [prom], schedule: \"0 3 * *\" }", "jobs.j.schedule", 6, "not a schedule" },
        { "jobs:\n  j: { repository: local, components: [prom], schedule: \"@every soon\" }", "jobs.j.schedule", 6, "'@every' needs a duration" },
        { "jobs:\n  j: { repository: local, components: [prom], time_zone: Mars/Olympus }", "jobs.j.time_zone", 6, "unknown time zone" },
        { "jobs:\n  j: { repository: local, components: [prom], retention: { keep_daily: -7 } }", "jobs.j.retention.keep_daily", 6, "expected a whole number, 0 or more" },
        { "jobs:\n  j: { repository: local, components: [prom], retention: { keep_last: 0 } }", "jobs.j.retention", 6, "keeps nothing" },
        { "jobs:\n  j: { repository: local, components: [prom], verify: { read_data_subset: 1/10 } }", "jobs.j.verify.schedule", 6, "missing required key 'schedule'" },
        { "jobs:\n  j: { repository: local, components: [prom], verify: { schedule: \"@weekly\", read_data_subset: 11/10 } }", "jobs.j.verify.read_data_subset", 6, "expected n/t" },
        // hooks
        { "jobs:\n  j:\n    repository: local\n    components: [prom]\n    hooks:\n      pre:\n        - timeout: 5s", "jobs.j.hooks.pre[0]", 11, "a hook needs one of command, http" },
        { "jobs:\n  j:\n    repository: local\n    components: [prom]\n    hooks:\n      post:\n        - { docker_start: [a], http: \"http://x\" }", "jobs.j.hooks.post[0]", 11, "a hook has only one of" },
        { "jobs:\n  j:\n    repository: local\n    components: [prom]\n    hooks:\n      pre:\n        - { command: [x], method: GET }", "jobs.j.hooks.pre[0].method", 11, "method belongs to an http hook" },
        { "jobs:\n  j:\n    repository: local\n    components: [prom]\n    hooks:\n      pre:\n        - { http: \"http://x\", on_error: ignore }", "jobs.j.hooks.pre[0].on_error", 11, "expected fail or continue" },
        // secrets given twice
        { "  pg: { type: postgres, dsn: \"host=db\", password: a, password_file: /etc/pg }", "components.pg.password_file", 5, "give only one of password, password_file" },
        { "  pg: { type: postgres, dsn: \"host=db password=x\" }", "components.pg.dsn", 5, "must not contain a password" },
        // other
        { "version: 2", "version", 5, "unsupported version" },
        { "components:\n  x: [1]", "components", 5, "duplicate key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mistake_ReportedWithPathAndLine(string yaml, string path, int line, string message)
    {
        var (config, problems) = ConfigLoader.LoadFromText(Base + yaml, "t.yaml", ConfigSamples.NoEnvironment);
        Assert.Null(config);
        Assert.Contains(problems, p => p.YamlPath == path && p.Line == line && p.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void ManyMistakes_AllReportedAtOnce_InLineOrder()
    {
        const string yaml = """
            repositories:
              local: { url: relative, password_file: /etc/pw }
            components:
              prom: { type: prometheus, url: "nope", data_dir: data }
              bad: { type: kubernets }
            jobs:
              j: { repository: nowhere, components: [prom, ghost], jitter: soon, retention: { keep_last: -1 } }
              j: { repository: local, components: [prom] }
            extra: 1
            """;
        var problems = ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment).Problems;
        Assert.Equal(
            [
                "repositories.local.url (line 2)",
                "components.prom.url (line 4)",
                "components.prom.data_dir (line 4)",
                "components.bad.type (line 5)",
                "jobs.j.repository (line 7)",
                "jobs.j.components[1] (line 7)",
                "jobs.j.jitter (line 7)",
                "jobs.j.retention.keep_last (line 7)",
                "jobs.j (line 8)",
                "extra (line 9)",
            ],
            problems.Select(p => p.ToString()[..p.ToString().IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal("components.prom.url (line 4): not an absolute http(s) URL", problems[1].ToString());
    }

    [Theory]
    [InlineData("", 1, "the configuration is empty")]
    [InlineData("repositories: [\n", 2, "YAML syntax")]
    [InlineData("a: 1\n---\nb: 2\n", 2, "more than one YAML document")]
    [InlineData("just a string", 1, "expected a mapping")]
    public void BrokenFile_OneProblemWithLine(string yaml, int line, string message)
    {
        var problem = Assert.Single(ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment).Problems);
        Assert.Equal(line, problem.Line);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComponentInTwoJobs_IsFine()
    {
        var yaml = Base + "jobs:\n  a: { repository: local, components: [prom] }\n  b: { repository: local, components: [prom] }\n";
        Assert.Empty(ConfigLoader.LoadFromText(yaml, "t.yaml", ConfigSamples.NoEnvironment).Problems);
    }
}
