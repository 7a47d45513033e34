using Stackvault.Repository.Model;
using Stackvault.Tests.Components.Tempo;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Jobs;

/// <summary>
/// <c>backup --job</c> with a Tempo component (local backend) against <see cref="TempoStandInServer"/>, over a data
/// directory holding the real vParquet4 block of ../shared/fixtures/tempo.
/// </summary>
public sealed class TempoJobTests
{
    private const string Blocks = "/tempo/blocks/" + TempoDataDir.Tenant + "/";

    [Fact]
    public async Task Tempo2_FlushesFirst_StoresCompleteBlocksAndWal_ReportsPartial_LeavesOutCompacted()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("tempo");
        TempoDataDir.Create(dataDir);
        await using var tempo = new TempoStandInServer(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "traces", "--config", Config(temp, tempo.Url, dataDir));

        Assert.Contains("POST /flush", tempo.Requests);
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "tempo");
        Assert.Equal((ComponentStatus.Complete, "tempo-flush-copy", "2.6.0"), (section.Status, section.Method, section.EngineVersion));
        Assert.Equal(
            (1L, 2L, 1L, 1L, 1L),
            (section.Checks!["tenants"], section.Checks["blocks"], section.Checks["partial_blocks"], section.Checks["compacted_blocks"], section.Checks["flushed"]));

        // The block the flush cut is stored: the flush came before the scan and the copy.
        Assert.Equal(
            [Blocks + TempoStandInServer.FlushedBlockId, Blocks + TempoDataDir.RealBlockId, "/tempo/wal"],
            snapshot.Paths.Order(StringComparer.Ordinal));

        await cli.RunOkAsync("restore", "latest", "--target", temp.Sub("out"));
        var restored = temp.Sub("out") + Blocks;
        foreach (var file in Directory.EnumerateFiles(TempoDataDir.FixtureBlock))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(restored, TempoDataDir.RealBlockId, Path.GetFileName(file))));
        }

        Assert.True(File.Exists(Path.Combine(restored, TempoStandInServer.FlushedBlockId, "meta.json")));
        Assert.False(Path.Exists(Path.Combine(restored, TempoDataDir.PartialBlockId)));
        Assert.False(Path.Exists(Path.Combine(restored, TempoDataDir.CompactedBlockId)));
        Assert.True(File.Exists(temp.Sub("out") + "/tempo/wal/search"));
    }

    [Fact]
    public async Task Tempo3_FlushAnswers404_SectionComplete_NotFlushed()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("tempo");
        TempoDataDir.Create(dataDir);
        await using var tempo = new TempoStandInServer(dataDir, tempo3: true);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "traces", "--config", Config(temp, tempo.Url, dataDir));

        Assert.Contains("POST /flush", tempo.Requests);
        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "tempo");
        Assert.Equal((ComponentStatus.Complete, "tempo-copy", "3.0.0"), (section.Status, section.Method, section.EngineVersion));
        Assert.Equal((1L, 1L, 0L), (section.Checks!["blocks"], section.Checks["partial_blocks"], section.Checks["flushed"]));
        Assert.Equal([Blocks + TempoDataDir.RealBlockId, "/tempo/wal"], snapshot.Paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task IncludeCompacted_StoresTheCompactedBlock()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("tempo");
        TempoDataDir.Create(dataDir);
        await using var tempo = new TempoStandInServer(dataDir, tempo3: true);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();

        await cli.ExpectAsync(0, "backup", "--job", "traces", "--config", Config(temp, tempo.Url, dataDir, ", include_compacted: true"));

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        Assert.Contains(Blocks + TempoDataDir.CompactedBlockId, snapshot.Paths);
        Assert.DoesNotContain(Blocks + TempoDataDir.PartialBlockId, snapshot.Paths);
    }

    private static string Config(TempDirectory temp, Uri url, string dataDir, string extra = "") =>
        JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              tempo: {"{"} type: tempo, url: "{url}", data_dir: {dataDir}{extra} {"}"}
            jobs:
              traces: {"{"} repository: main, components: [tempo] {"}"}
            """);
}
