using Stackvault.Components.Prometheus;
using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Prometheus;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary><c>backup --job</c> with a real Prometheus 2.42 (admin API enabled): snapshot API, blocks, cleanup, restore.</summary>
[Collection(PrometheusCollection.Name)]
public sealed class PrometheusJobTests(PrometheusServerFixture server)
{
    [Fact]
    public async Task Job_StoresTheSnapshotBlocks_RecordsChecks_DeletesTheSnapshot_RestoresForPromtool()
    {
        await server.WaitForScrapesAsync(3);
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              prom: {"{"} type: prometheus, url: "{server.Url}", data_dir: {server.DataDirectory} {"}"}
            jobs:
              metrics: {"{"} repository: main, components: [prom] {"}"}
            """);

        var result = await cli.ExpectAsync(0, "backup", "--job", "metrics", "--config", config, "--json");

        var component = Assert.Single(result.Message("summary").GetProperty("components").EnumerateArray());
        Assert.Equal("complete", component.GetProperty("status").GetString());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(server.DataDirectory, "snapshots")));

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "prom");
        Assert.Equal((ComponentStatus.Complete, "prometheus-snapshot-api", "/prom"), (section.Status, section.Method, section.SnapshotPath));
        Assert.StartsWith("2.42.", section.EngineVersion, StringComparison.Ordinal);
        Assert.Equal(server.Url.ToString(), section.Source);
        Assert.True(section.Checks!["blocks"] >= 1);
        Assert.True(section.Checks["num_samples"] >= 3);
        Assert.Equal(["/prom/data"], snapshot.Paths);

        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        var data = temp.Sub("out") + "/prom/data";
        var layout = TsdbLayout.Scan(data);
        Assert.Equal(section.Checks["blocks"], layout.Blocks.Count);
        Assert.All(layout.Blocks, b => Assert.True(TsdbUlid.IsValid(Path.GetFileName(b.Path)), b.Path));
        var (exitCode, output) = await Promtool.RunAsync("tsdb", "list", data);
        Assert.True(exitCode == 0, output);
        Assert.All(layout.Blocks, b => Assert.Contains(b.Ulid, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackupFailingAfterPrepare_StillDeletesTheSnapshot()
    {
        await server.WaitForScrapesAsync(3);
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        Directory.CreateDirectory(temp.Sub("etc"));
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              prom: {"{"} type: prometheus, url: "{server.Url}", data_dir: {server.DataDirectory} {"}"}
              twice: {"{"} type: files, paths: [{temp.Sub("etc")}, {temp.Sub("etc")}/] {"}"}
            jobs:
              metrics: {"{"} repository: main, components: [prom, twice] {"}"}
            """);

        var result = await cli.ExpectAsync(2, "backup", "--job", "metrics", "--config", config);

        Assert.Contains("two sources would be stored at", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(server.DataDirectory, "snapshots")));
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }
}
