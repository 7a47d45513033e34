using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>A Prometheus without --web.enable-admin-api: its section fails with the clear message, the others are saved.</summary>
[Collection(PrometheusWithoutAdminApiCollection.Name)]
public sealed class PrometheusAdminApiJobTests(PrometheusWithoutAdminApiFixture server)
{
    [Fact]
    public async Task AdminApiDisabled_FailedSection_Exit3_OtherComponentSaved()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              prom: {"{"} type: prometheus, url: "{server.Url}", data_dir: {server.DataDirectory} {"}"}
              cmd: {"{"} type: command, command: [printf, hello], filename: out.txt {"}"}
            jobs:
              metrics: {"{"} repository: main, components: [prom, cmd] {"}"}
            """);

        await cli.ExpectAsync(3, "backup", "--job", "metrics", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "prom");
        Assert.Equal(ComponentStatus.Failed, section.Status);
        Assert.Contains("--web.enable-admin-api", section.Error, StringComparison.Ordinal);
        Assert.Equal(ComponentStatus.Complete, JobManifests.Section(snapshot, "cmd").Status);
        Assert.Equal(["/cmd/out.txt"], snapshot.Paths);
    }
}
