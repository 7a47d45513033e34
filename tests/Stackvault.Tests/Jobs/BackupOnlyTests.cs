using Stackvault.Tests.Components.Grafana;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary><c>backup --job NAME --only config|data</c>: the runbooks' configuration-only and data-only backups.</summary>
public sealed class BackupOnlyTests
{
    private static async Task<(CliRunner Cli, string Config)> SetUpAsync(TempDirectory temp)
    {
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        File.WriteAllText(temp.Sub("grafana.ini"), "[server]\nhttp_port = 3000\n");
        Directory.CreateDirectory(temp.Sub("provisioning/dashboards"));
        File.WriteAllText(temp.Sub("provisioning/dashboards/a.yaml"), "apiVersion: 1\n");
        Directory.CreateDirectory(temp.Sub("etc"));
        File.WriteAllText(temp.Sub("etc/prometheus.yml"), "global: {}\n");
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              grafana:
                type: grafana
                database: {temp.Sub("grafana.db")}
                config_file: {temp.Sub("grafana.ini")}
                provisioning_dir: {temp.Sub("provisioning")}
              etc: {"{"} type: files, paths: [{temp.Sub("etc")}] {"}"}
              out: {"{"} type: command, command: [echo, data], filename: out.txt {"}"}
            jobs:
              all: {"{"} repository: main, components: [grafana, etc, out] {"}"}
              dataless: {"{"} repository: main, components: [etc] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        return (cli, config);
    }

    [Fact]
    public async Task OnlyConfig_StoresIniProvisioningAndFiles_NotTheDatabase_TagsOnlyConfig()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);

        await cli.ExpectAsync(0, "backup", "--job", "all", "--only", "config", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(["/etc" + temp.Sub("etc"), "/grafana/grafana.ini", "/grafana/provisioning"], snapshot.Paths.Order(StringComparer.Ordinal));
        Assert.Contains("only:config", snapshot.Tags);
        Assert.Equal(["grafana", "etc"], snapshot.Components!.Select(c => c.Name));
        Assert.Equal(2, JobManifests.Section(snapshot, "grafana").Checks!["only.config"]);
    }

    [Fact]
    public async Task OnlyData_StoresTheDatabaseAndCommandOutput_NotConfig_TagsOnlyData()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);

        await cli.ExpectAsync(0, "backup", "--job", "all", "--only", "data", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Equal(["/grafana/grafana.db", "/out/out.txt"], snapshot.Paths.Order(StringComparer.Ordinal));
        Assert.Contains("only:data", snapshot.Tags);
        Assert.Equal(["grafana", "out"], snapshot.Components!.Select(c => c.Name));
    }

    [Fact]
    public async Task OnlyData_OnAJobWithOnlyConfig_Exit2_BadValue_Exit2_WithPaths_Exit2()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);

        var empty = await cli.ExpectAsync(2, "backup", "--job", "dataless", "--only", "data", "--config", config);
        await cli.ExpectAsync(2, "backup", "--job", "all", "--only", "everything", "--config", config);
        var paths = await cli.ExpectAsync(2, "backup", temp.Sub("etc"), "--only", "config");

        Assert.Contains("holds data items", empty.Stderr, StringComparison.Ordinal);
        Assert.Contains("--only goes with --job", paths.Stderr, StringComparison.Ordinal);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    [Fact]
    public async Task OnlyConfig_GrafanaWithoutConfigFiles_Exit2_SaysThereIsNothingOfThatClass()
    {
        using var temp = new TempDirectory();
        GrafanaSchema.CreateGrafana11(temp.Sub("grafana.db"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              grafana: {"{"} type: grafana, database: {temp.Sub("grafana.db")} {"}"}
            jobs:
              db: {"{"} repository: main, components: [grafana] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        var result = await cli.ExpectAsync(2, "backup", "--job", "db", "--only", "config", "--config", config);

        Assert.Contains("none of the selected components has config items", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }
}
