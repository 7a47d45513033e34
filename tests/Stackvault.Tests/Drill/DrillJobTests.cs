using System.Text.Json;
using Stackvault.Repository.Model;
using Stackvault.Storage;
using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Components.Postgres;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Drill;

/// <summary>
/// <c>stackvault drill</c> through the real CLI against a real Prometheus, a real PostgreSQL 15 and a Grafana SQLite
/// database: a good snapshot passes every engine-level check; a snapshot whose data differs from what its manifest
/// recorded fails, naming the components.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DrillJobTests(PostgresServerFixture postgres, PrometheusServerFixture prometheus) : IClassFixture<PrometheusServerFixture>
{
    private string Config(TempDirectory temp) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          prom: {"{"} type: prometheus, url: "{prometheus.Url}", data_dir: {prometheus.DataDirectory} {"}"}
          pg:
            type: postgres
            dsn: "{postgres.Dsn()}"
            password: "{PostgresServerFixture.Password}"
          grafana: {"{"} type: grafana, database: {temp.Sub("grafana.db")} {"}"}
        jobs:
          stack: {"{"} repository: main, components: [prom, pg, grafana] {"}"}
        """);

    [Fact]
    public async Task Drill_LatestIsAnOnlyDataBackup_DrillsTheLatestWholeSnapshot_Passes()
    {
        await prometheus.WaitForScrapesAsync(4);
        using var temp = new TempDirectory();
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp);
        var whole = (await cli.ExpectAsync(0, "backup", "--job", "stack", "--config", config, "--json")).Message("summary").GetProperty("snapshot_id").GetString();
        var dataOnly = (await cli.ExpectAsync(0, "backup", "--job", "stack", "--only", "data", "--config", config, "--json")).Message("summary").GetProperty("snapshot_id").GetString();

        // The only:data snapshot has no pg globals.sql: drilling it would fail although the job's backups are sound.
        var drill = await cli.ExpectAsync(0, "drill", "--job", "stack", "--config", config, "--json");

        using var json = JsonDocument.Parse(drill.Json().GetRawText());
        Assert.NotEqual(dataOnly, whole);
        Assert.Equal(whole, json.RootElement.GetProperty("snapshot_id").GetString());
        Assert.Equal("passed", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Drill_GoodSnapshot_Passes_ThenTamperedCounts_FailNamingTheComponents()
    {
        await prometheus.WaitForScrapesAsync(4);
        using var temp = new TempDirectory();
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp);
        await cli.RunOkAsync("backup", "--job", "stack", "--config", config);
        var original = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var prom = JobManifests.Section(original, "prom").Checks!;
        Assert.True(prom["query.up_samples"] >= 4, $"up_samples {prom["query.up_samples"]}");
        Assert.Equal(1, prom["query.up_series"]);
        Assert.True(prom["max_time_ms"] > prom["min_time_ms"]);
        Assert.Contains(prom.Keys, k => k.StartsWith("block.", StringComparison.Ordinal) && k.EndsWith(".samples", StringComparison.Ordinal));
        var metrics = temp.Sub("metrics/drill.prom");

        // A good snapshot: every component and check passes, the reports and the metrics are written.
        var good = await cli.ExpectAsync(0, "drill", "--job", "stack", "--config", config, "--report-dir", temp.Sub("reports"), "--metrics-textfile", metrics, "--json");

        using (var json = JsonDocument.Parse(good.Json().GetRawText()))
        {
            var root = json.RootElement;
            Assert.Equal("passed", root.GetProperty("status").GetString());
            var components = root.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
            Assert.Equal(["grafana", "pg", "prom"], components.Keys.Order(StringComparer.Ordinal));
            Assert.All(components.Values, c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
            Assert.Equal("1000", Check(components["pg"], "rows.public.orders").GetProperty("actual").GetString());
            Assert.Equal(prom["query.up_samples"].ToString(System.Globalization.CultureInfo.InvariantCulture), Check(components["prom"], "query.up_samples").GetProperty("actual").GetString());
            Assert.True(Check(components["prom"], "prometheus start").GetProperty("passed").GetBoolean());
            Assert.True(Check(components["prom"], "promtool tsdb analyze").GetProperty("passed").GetBoolean());
            Assert.Equal("5", Check(components["grafana"], "dashboard").GetProperty("actual").GetString());
            Assert.Equal(3600, components["prom"].GetProperty("rto_target_seconds").GetDouble());
            Assert.Equal(300, components["grafana"].GetProperty("rto_target_seconds").GetDouble());
        }

        var reports = Directory.GetFiles(temp.Sub("reports")).Select(Path.GetExtension).Order(StringComparer.Ordinal);
        Assert.Equal([".html", ".json", ".md"], reports);
        var firstMetrics = File.ReadAllText(metrics);
        Assert.Contains("stackvault_drill_last_status{job=\"stack\"} 1\n", firstMetrics, StringComparison.Ordinal);
        var success = firstMetrics.Split('\n').Single(l => l.StartsWith("stackvault_drill_last_success_timestamp_seconds{job=\"stack\"}", StringComparison.Ordinal));
        Assert.DoesNotContain(await postgres.DatabasesAsync(), d => d.StartsWith("svdrill_", StringComparison.Ordinal));
        Assert.DoesNotContain(PostgresServerFixture.Password, good.Stdout + good.Stderr + firstMetrics, StringComparison.Ordinal);

        // The same data under a manifest that recorded other counts: the restored data no longer matches what the backup
        // saw, which only the engine-level checks can notice (every restored byte still matches its hash).
        var tampered = await SaveTamperedAsync(temp.Sub("repo"), original);
        var bad = await cli.ExpectAsync(1, "drill", "--job", "stack", "--config", config, "--snapshot", tampered, "--metrics-textfile", metrics);

        var failure = bad.Stderr.Split('\n').Single(l => l.Contains("drill of job stack failed", StringComparison.Ordinal));
        Assert.Contains("prom (prometheus): query.up_samples", failure, StringComparison.Ordinal);
        Assert.Contains("pg (postgres): rows.public.orders: restored 1000, recorded at backup 999", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("grafana", failure, StringComparison.Ordinal);
        Assert.Contains("ok     grafana (grafana)", bad.Stdout, StringComparison.Ordinal);
        var secondMetrics = File.ReadAllText(metrics);
        Assert.Contains("stackvault_drill_last_status{job=\"stack\"} 0\n", secondMetrics, StringComparison.Ordinal);
        Assert.Contains(success + "\n", secondMetrics, StringComparison.Ordinal);
        Assert.DoesNotContain(await postgres.DatabasesAsync(), d => d.StartsWith("svdrill_", StringComparison.Ordinal));
    }

    private static JsonElement Check(JsonElement component, string name) =>
        component.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>Saves a copy of <paramref name="original"/> (same tree) whose sections recorded other values; returns its id.</summary>
    private static async Task<string> SaveTamperedAsync(string repositoryPath, Snapshot original)
    {
        await using var repository = await Stackvault.Repository.Repository.OpenAsync(StorageFactory.Open(repositoryPath), "test-password", TimeProvider.System, CancellationToken.None);
        var copy = JsonSerializer.Deserialize<Snapshot>(JsonSerializer.Serialize(original))!;
        copy.Time = original.Time.AddSeconds(1);
        JobManifests.Section(copy, "pg").Checks!["rows.public.orders"] = 999;
        JobManifests.Section(copy, "prom").Checks!["query.up_samples"] += 7;
        return (await repository.SaveSnapshotAsync(copy, CancellationToken.None)).ToString();
    }
}
