using System.Net;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;
using Stackvault.Tests.Telemetry;

namespace Stackvault.Tests.Cli;

/// <summary>
/// <c>backup --job</c> with <c>--metrics-textfile</c> (atomic, parseable by promtool) and <c>--pushgateway</c> refusing (a
/// recorder injecting the failure). The real Pushgateway, Prometheus and node_exporter: <see cref="Telemetry.MetricsRealServersTests"/>.
/// </summary>
public sealed class MetricsPublishTests
{
    private static string Yaml(string data) => $"""
        components:
          data: {"{"} type: files, paths: [{data}] {"}"}
          broken: {"{"} type: command, command: [sh, -c, "exit 3"], filename: x {"}"}
        jobs:
          nightly: {"{"} repository: main, components: [data], rpo: 1d {"}"}
          flaky: {"{"} repository: main, components: [data, broken] {"}"}
        """;

    private static async Task<(CliRunner Cli, string Config)> SetUpAsync(TempDirectory temp)
    {
        Directory.CreateDirectory(temp.Sub("data"));
        File.WriteAllText(temp.Sub("data/a.txt"), "some data");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        return (cli, JobManifests.WriteConfig(temp, temp.Sub("repo"), Yaml(temp.Sub("data"))));
    }

    [Fact]
    public async Task Textfile_WrittenAtomically_ParseableByPromtool_WithTheRunsResult()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        Directory.CreateDirectory(temp.Sub("textfiles"));
        var file = temp.Sub("textfiles/stackvault.prom");

        await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--metrics-textfile", file, "-q");
        await cli.ExpectAsync(3, "backup", "--job", "flaky", "--config", config, "--state-dir", temp.Sub("state"), "--metrics-textfile", file, "-q");

        var text = File.ReadAllText(file);
        Assert.Contains("stackvault_backup_last_status{job=\"nightly\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_runs_total{job=\"nightly\",result=\"success\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_last_status{job=\"flaky\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_backup_runs_total{job=\"flaky\",result=\"partial\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_component_last_status{job=\"flaky\",component=\"broken\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("stackvault_component_size_bytes{job=\"flaky\",component=\"data\"} 9\n", text, StringComparison.Ordinal);
        Assert.Equal(["stackvault.prom"], Directory.GetFiles(temp.Sub("textfiles")).Select(Path.GetFileName));
        var (code, output) = await PromtoolStdin.CheckMetricsAsync(file);
        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task PublishOptions_Misused_AreUsageErrors_BeforeAnyBackup()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        var noJob = await cli.ExpectAsync(2, "backup", "/etc/hostname", "--metrics-textfile", temp.Sub("m.prom"));
        Assert.Contains("need --job", noJob.Stderr, StringComparison.Ordinal);
        var suffix = await cli.ExpectAsync(2, "backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--metrics-textfile", temp.Sub("m.txt"));
        Assert.Contains("*.prom", suffix.Stderr, StringComparison.Ordinal);
        var url = await cli.ExpectAsync(2, "backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--pushgateway", "ftp://user:pw@host");
        Assert.Contains("--pushgateway", url.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", url.Stderr, StringComparison.Ordinal);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    [Fact]
    public async Task Pushgateway_Refusing_IsAWarning_TheBackupStillSucceeds()
    {
        using var temp = new TempDirectory();
        var (cli, config) = await SetUpAsync(temp);
        await using var receiver = PushReceiver.Start(HttpStatusCode.BadRequest);

        var result = await cli.RunOkAsync("backup", "--job", "nightly", "--config", config, "--state-dir", temp.Sub("state"), "--pushgateway", receiver.Url);

        Assert.Single(receiver.Requests);
        Assert.Contains("cannot push metrics", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("400", result.Stderr, StringComparison.Ordinal);
    }
}
