using Stackvault.Components.Grafana;
using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary><c>backup --job</c> with a Grafana component: online copy of grafana.db, grafana.ini, provisioning.</summary>
public sealed class GrafanaJobTests
{
    private static string Config(TempDirectory temp) => JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
        components:
          grafana:
            type: grafana
            database: {temp.Sub("grafana.db")}
            config_file: {temp.Sub("grafana.ini")}
            provisioning_dir: {temp.Sub("provisioning")}
        jobs:
          dash: {"{"} repository: main, components: [grafana] {"}"}
        """);

    private static void CreateGrafana(TempDirectory temp)
    {
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"), "WAL");
        File.WriteAllText(temp.Sub("grafana.ini"), "[security]\nsecret_key = s3cr3t\n");
        Directory.CreateDirectory(temp.Sub("provisioning/datasources"));
        File.WriteAllText(temp.Sub("provisioning/datasources/prom.yaml"), "apiVersion: 1\n");
    }

    [Fact]
    public async Task Job_CopiesTheDatabase_RestoredCopyHasTheSameCounts()
    {
        using var temp = new TempDirectory();
        CreateGrafana(temp);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "dash", "--config", Config(temp));

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "grafana");
        Assert.Equal((ComponentStatus.Complete, "sqlite-online-backup"), (section.Status, section.Method));
        var live = GrafanaDatabaseCheck.Run(temp.Sub("grafana.db"));
        Assert.Equal(live.RowCounts.OrderBy(p => p.Key), section.Checks!.OrderBy(p => p.Key));
        Assert.Equal(["/grafana/grafana.db", "/grafana/grafana.ini", "/grafana/provisioning"], snapshot.Paths);

        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        var restored = GrafanaDatabaseCheck.Run(temp.Sub("out") + "/grafana/grafana.db");
        Assert.True(restored.IsIntact, string.Join("; ", restored.IntegrityMessages));
        Assert.Equal(live.RowCounts.OrderBy(p => p.Key), restored.RowCounts.OrderBy(p => p.Key));
        Assert.False(File.Exists(temp.Sub("out") + "/grafana/grafana.db-wal"));
        Assert.Equal("[security]\nsecret_key = s3cr3t\n", File.ReadAllText(temp.Sub("out") + "/grafana/grafana.ini"));
        Assert.True(File.Exists(temp.Sub("out") + "/grafana/provisioning/datasources/prom.yaml"));
    }

    [Fact]
    public async Task ConfigFile_InAnUnencryptedRepository_IsRefused_Exit2()
    {
        using var temp = new TempDirectory();
        CreateGrafana(temp);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync("--no-encryption");

        var result = await cli.ExpectAsync(2, "backup", "--job", "dash", "--config", Config(temp));

        Assert.Contains("encrypted repository", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Sub("repo/snapshots")));
    }
}
