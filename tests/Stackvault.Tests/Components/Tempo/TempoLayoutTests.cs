using System.Text.Json;
using Stackvault.Components.Tempo;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Tempo;

/// <summary>
/// The Tempo layouts operators run (docs/engines.md), each built from a tree shaped like the real one around the real
/// vParquet4 block of the shared fixtures: the Helm chart's <c>/var/tempo</c> (traces/ and wal/), 3.x <c>blocks/</c>
/// with a tombstoned block, the 2.x ingester's <c>wal/blocks/</c>, and data_dir set to the local path itself.
/// </summary>
public sealed class TempoLayoutTests
{
    private const string Traces = "/tempo/traces/" + TempoDataDir.Tenant + "/";

    [Fact]
    public async Task HelmLayout_PartialBlockLeftOutAndReported_CompactedLeftOut_DrillPasses()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("var-tempo");
        TempoDataDir.CreateHelm(dataDir);
        await using var tempo = new TempoStandInServer(dataDir, blockRoot: "traces");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, tempo.Url, dataDir);

        await cli.RunOkAsync("backup", "--job", "traces", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "tempo");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal(
            (1L, 2L, 1L, 1L, 4L),
            (section.Checks![TempoChecks.Tenants], section.Checks[TempoChecks.Blocks], section.Checks[TempoChecks.PartialBlocks], section.Checks[TempoChecks.CompactedBlocks], section.Checks[TempoChecks.SourceBlocks]));
        Assert.Contains(Traces + TempoDataDir.RealBlockId, snapshot.Paths);
        Assert.Contains(Traces + TempoStandInServer.FlushedBlockId, snapshot.Paths);
        Assert.Contains(Traces + "index.json.gz", snapshot.Paths);
        Assert.Contains("/tempo/wal", snapshot.Paths);
        Assert.DoesNotContain(snapshot.Paths, p => p.Contains(TempoDataDir.PartialBlockId, StringComparison.Ordinal) || p.Contains(TempoDataDir.CompactedBlockId, StringComparison.Ordinal));
        Assert.True(section.Size > new DirectoryInfo(TempoDataDir.FixtureBlock).EnumerateFiles().Sum(f => f.Length));

        var drill = await cli.ExpectAsync(0, "drill", "--job", "traces", "--config", config, "--json");
        var blocks = Checks(drill.Json().GetRawText()).Single(c => c.GetProperty("name").GetString() == TempoChecks.Blocks);
        Assert.Equal("2", blocks.GetProperty("actual").GetString());
    }

    [Fact]
    public async Task Drill_NoBlockStoredWhileTheSourceHadBlocks_Fails()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("var-tempo");
        TempoDataDir.CreateHelm(dataDir, withRealBlock: false); // only a partial and a compacted block: none complete
        await using var tempo = new TempoStandInServer(dataDir, tempo3: true, blockRoot: "traces");
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, tempo.Url, dataDir);
        await cli.RunOkAsync("backup", "--job", "traces", "--config", config);
        var section = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "tempo");
        Assert.Equal((0L, 2L), (section.Checks![TempoChecks.Blocks], section.Checks[TempoChecks.SourceBlocks]));

        var drill = await cli.ExpectAsync(1, "drill", "--job", "traces", "--config", config, "--json");

        var failed = Checks(drill.Json().GetRawText()).Where(c => !c.GetProperty("passed").GetBoolean()).ToList();
        var stored = Assert.Single(failed);
        Assert.Equal("blocks stored", stored.GetProperty("name").GetString());
        Assert.Contains("the source held 2", stored.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tempo3Blocks_TombstonedBlockLeftOut_And_IngesterWalBlocks_Recognised()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("tempo");
        TempoDataDir.Create(dataDir);
        var deleted = Path.Combine(dataDir, "blocks", TempoDataDir.Tenant, "77777777-0000-4000-8000-000000000000");
        Directory.CreateDirectory(deleted);
        File.WriteAllText(Path.Combine(deleted, TempoLayout.DeletedMetaFile), "{}");
        var walBlock = Path.Combine(dataDir, "wal", "blocks", TempoDataDir.Tenant, "88888888-0000-4000-8000-000000000000");
        Directory.CreateDirectory(walBlock);
        File.WriteAllText(Path.Combine(walBlock, TempoLayout.MetaFile), "{}");

        var layout = TempoLayout.Scan(dataDir, CancellationToken.None);

        Assert.Equal(["blocks", "wal/blocks"], layout.Roots);
        Assert.Equal((2, 1, 1, 1), (layout.Count(TempoBlockState.Complete), layout.Count(TempoBlockState.Partial), layout.Count(TempoBlockState.Compacted), layout.Count(TempoBlockState.Deleted)));
        Assert.Contains("wal/search", layout.Others);
    }

    [Fact]
    public void DataDirIsTheLocalPath_TenantsDirectlyBelow()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("var-tempo");
        TempoDataDir.CreateHelm(dataDir);

        var layout = TempoLayout.Scan(Path.Combine(dataDir, "traces"), CancellationToken.None);

        Assert.Equal([string.Empty], layout.Roots);
        Assert.Equal((1, 1, 1), (layout.Tenants, layout.Count(TempoBlockState.Complete), layout.Count(TempoBlockState.Partial)));
    }

    [Fact]
    public async Task UnrecognisedLayout_ConfigValidateWarnsNamingTheExpected_AndBackupRefusesIt()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("not-tempo");
        Directory.CreateDirectory(Path.Combine(dataDir, "something"));
        File.WriteAllText(Path.Combine(dataDir, "notes.txt"), "x");
        await using var tempo = new TempoStandInServer(dataDir, tempo3: true);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, tempo.Url, dataDir);

        var validate = await cli.ExpectAsync(0, "config", "validate", "--config", config);
        Assert.Contains("component tempo: data_dir " + dataDir + " is not a recognised layout", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("traces/<tenant>/<block>/", validate.Stderr, StringComparison.Ordinal);

        var backup = await cli.ExpectAsync(1, "backup", "--job", "traces", "--config", config);
        Assert.Contains("not a recognised Tempo layout", backup.Stderr, StringComparison.Ordinal);
        Assert.Empty(await JobManifests.AllAsync(temp.Sub("repo")));
    }

    private static List<JsonElement> Checks(string drillJson)
    {
        using var json = JsonDocument.Parse(drillJson);
        return [.. json.RootElement.GetProperty("components").EnumerateArray().Single().GetProperty("checks").EnumerateArray().Select(c => c.Clone())];
    }

    private static string Config(TempDirectory temp, Uri url, string dataDir) =>
        JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              tempo: {"{"} type: tempo, url: "{url}", data_dir: {dataDir} {"}"}
            jobs:
              traces: {"{"} repository: main, components: [tempo] {"}"}
            """);
}
