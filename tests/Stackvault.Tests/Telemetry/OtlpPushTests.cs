using Stackvault.Tests.Notifications;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Telemetry;

/// <summary>
/// <c>failsafe.otlp.endpoint</c>: after a <c>backup --job</c> the metrics of <c>/metrics</c> are pushed once over
/// OTLP/HTTP (protobuf) to <c>ENDPOINT/v1/metrics</c>, received here by the tests' HTTP receiver (a stand-in for an
/// OTel collector); a receiver that refuses the push is a warning, the backup still succeeds.
/// </summary>
public sealed class OtlpPushTests
{
    [Fact]
    public async Task BackupJob_PushesTheMetricsAsOtlpProtobuf_ToV1Metrics()
    {
        using var receiver = new HttpReceiver();
        using var temp = new TempDirectory();
        var (cli, config) = await JobAsync(temp, receiver.BaseUrl);

        var result = await cli.RunOkAsync("backup", "--job", "critical", "--config", config, "--state-dir", temp.Sub("state"));

        var request = receiver.Single();
        Assert.Equal(("POST", "/v1/metrics", "application/x-protobuf"), (request.Method, request.Path, request.ContentType));
        var text = request.Body; // protobuf keeps strings as their UTF-8 bytes
        foreach (var expected in new[] { "stackvault_backup_last_success_timestamp_seconds", "stackvault_backup_runs_total", "stackvault_rpo_breached", "critical", "service.name", "stackvault" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("OTLP", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Sub("failsafe.json")));
    }

    [Fact]
    public async Task ReceiverRefusesThePush_TheBackupSucceeds_WithOneWarning()
    {
        using var receiver = new HttpReceiver(400);
        using var temp = new TempDirectory();
        var (cli, config) = await JobAsync(temp, receiver.BaseUrl);

        var result = await cli.RunOkAsync("backup", "--job", "critical", "--config", config, "--state-dir", temp.Sub("state"));

        Assert.NotEmpty(receiver.Requests);
        Assert.Contains($"cannot push the metrics over OTLP to {receiver.BaseUrl}/v1/metrics", result.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.Sub("failsafe.json")));
    }

    private static async Task<(CliRunner Cli, string Config)> JobAsync(TempDirectory temp, string endpoint)
    {
        Directory.CreateDirectory(temp.Sub("data"));
        await File.WriteAllTextAsync(temp.Sub("data/dashboard.json"), "{}");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = temp.Sub("stackvault.yaml");
        await File.WriteAllTextAsync(config, $$"""
            repositories:
              main: { url: {{temp.Sub("repo")}}, password: test-password }
            components:
              data: { type: files, paths: [{{temp.Sub("data")}}] }
            jobs:
              critical: { repository: main, components: [data], rpo: 1d }
            failsafe: { path: {{temp.Sub("failsafe.json")}}, otlp: { endpoint: "{{endpoint}}" } }
            """);
        return (cli, config);
    }
}
