using System.Text.Json;
using Stackvault.Tests.Components.Loki;
using Stackvault.Tests.Components.Tempo;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Drill;

/// <summary>
/// Drills of Loki and Tempo data backed up from <see cref="LokiStandInServer"/> and <see cref="TempoStandInServer"/>
/// (the engines cannot run here): what the adapters record is what the structural checks find after a restore.
/// </summary>
public sealed class DrillLokiTempoStandInTests
{
    [Fact]
    public async Task Drill_LokiAndTempoJob_PassesStructuralChecksAsRecorded()
    {
        using var temp = new TempDirectory();
        var lokiDir = temp.Sub("loki");
        var tempoDir = temp.Sub("tempo");
        LokiDataDir.Create(lokiDir);
        TempoDataDir.Create(tempoDir);
        await using var loki = new LokiStandInServer(lokiDir);
        await using var tempo = new TempoStandInServer(tempoDir);
        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              loki: {"{"} type: loki, url: "{loki.Url}", data_dir: {lokiDir} {"}"}
              tempo: {"{"} type: tempo, url: "{tempo.Url}", data_dir: {tempoDir} {"}"}
            jobs:
              bulk: {"{"} repository: main, components: [loki, tempo] {"}"}
            """);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", "--job", "bulk", "--config", config);

        var result = await cli.ExpectAsync(0, "drill", "--job", "bulk", "--config", config, "--json");

        using var json = JsonDocument.Parse(result.Json().GetRawText());
        var components = json.RootElement.GetProperty("components").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        var lokiChecks = components["loki"].GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["restore", "index_files", "chunk_files", "tenants", "index tables"], lokiChecks);
        var tempoChecks = components["tempo"].GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["restore", "meta.json", "complete blocks", "tenants", "blocks", "partial blocks"], tempoChecks);
        Assert.Equal("2", components["tempo"].GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "blocks").GetProperty("actual").GetString());
    }
}
