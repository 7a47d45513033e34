using System.Text.Json;
using Stackvault.Components.Loki;
using Stackvault.Repository.Model;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Components.Loki;

/// <summary>
/// Loki 2.x (boltdb-shipper, schema v11: flat base64 chunk files under chunks/) next to the 3.x tsdb layout of
/// <see cref="LokiDataDir"/>, with chunk contents from the real Loki logs of the shared fixtures; and a drill over a
/// backup that stored no chunk or index while the source held files fails.
/// </summary>
public sealed class LokiLayoutTests
{
    /// <summary>A Loki 2.9 image's /loki: boltdb-shipper index and cache, flat chunks, wal/, compactor/, rules/.</summary>
    private static IReadOnlyList<string> CreateBoltdb(string dataDir)
    {
        var logs = Directory.GetFiles(Path.Combine(SharedFixtures.Root, "loki-logs")).Order(StringComparer.Ordinal).Take(3).ToList();
        var chunks = new List<string>();
        foreach (var (log, i) in logs.Select((l, i) => (l, i)))
        {
            var name = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"fake/{i:x16}:18e21d2d51:18e21d2d50d:{i:x8}"));
            var chunk = Path.Combine(dataDir, "chunks", name);
            Directory.CreateDirectory(Path.GetDirectoryName(chunk)!);
            File.Copy(log, chunk);
            chunks.Add("chunks/" + name);
        }

        Write(dataDir, "boltdb-shipper-active/index_19800/1712345678", "boltdb index");
        Write(dataDir, "boltdb-shipper-active/uploader/name", "ingester-0");
        Write(dataDir, "boltdb-shipper-cache/index_19800/fake/compactor-1712345678.gz", "downloaded cache");
        Write(dataDir, "wal/00000000", "wal segment");
        Write(dataDir, "compactor/retention/markers/1712345678123456789-ab12cd", "marker");
        Write(dataDir, "rules/fake/rules.yaml", "groups: []");
        return chunks;
    }

    [Fact]
    public async Task Loki2Boltdb_FlatChunksCounted_CacheLeftOut_IndexKept_DrillPasses()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("loki");
        var chunks = CreateBoltdb(dataDir);
        await using var loki = new LokiStandInServer(dataDir);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, loki.Url, dataDir);

        await cli.RunOkAsync("backup", "--job", "logs", "--config", config);

        var snapshot = Assert.Single(await JobManifests.AllAsync(temp.Sub("repo")));
        var section = JobManifests.Section(snapshot, "loki");
        Assert.Equal(ComponentStatus.Complete, section.Status);
        Assert.Equal((2L, chunks.Count + 1L), (section.Checks![LokiChecks.IndexFiles], section.Checks[LokiChecks.ChunkFiles])); // the flat chunks and the one the flush wrote
        Assert.Equal(["/loki/boltdb-shipper-active", "/loki/chunks", "/loki/compactor", "/loki/rules", "/loki/wal"], snapshot.Paths.Order(StringComparer.Ordinal));

        await cli.RunOkAsync("restore", "latest", "--component", "loki", "--target", temp.Sub("out"));
        foreach (var chunk in chunks)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(dataDir, chunk)), File.ReadAllBytes(Path.Combine(temp.Sub("out"), chunk)));
        }

        var drill = await cli.ExpectAsync(0, "drill", "--job", "logs", "--config", config, "--json");
        using var json = JsonDocument.Parse(drill.Json().GetRawText());
        var checks = json.RootElement.GetProperty("components").EnumerateArray().Single().GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal((chunks.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), checks.Single(c => c.GetProperty("name").GetString() == LokiChecks.ChunkFiles).GetProperty("actual").GetString());
    }

    [Fact]
    public async Task UnrecognisedDataDir_ConfigValidateWarns_AndTheDrillOfItsEmptyCopyFails()
    {
        using var temp = new TempDirectory();
        var dataDir = temp.Sub("not-loki");
        Write(dataDir, "loki-data/chunks-elsewhere/file", "the operator pointed data_dir one level too high");
        await using var loki = new LokiStandInServer(temp.Sub("flushed-elsewhere"));
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var config = Config(temp, loki.Url, dataDir);

        var validate = await cli.RunOkAsync("config", "validate", "--config", config);
        Assert.Contains($"component loki: data_dir {dataDir} is not a recognised layout", validate.Stderr, StringComparison.Ordinal);
        Assert.Contains("chunks/", validate.Stderr, StringComparison.Ordinal);

        await cli.RunOkAsync("backup", "--job", "logs", "--config", config);
        var section = JobManifests.Section(Assert.Single(await JobManifests.AllAsync(temp.Sub("repo"))), "loki");
        Assert.Equal((0L, 0L, 1L), (section.Checks![LokiChecks.IndexFiles], section.Checks[LokiChecks.ChunkFiles], section.Checks[LokiChecks.SourceFiles]));

        var drill = await cli.ExpectAsync(1, "drill", "--job", "logs", "--config", config, "--json");

        using var json = JsonDocument.Parse(drill.Json().GetRawText());
        var failed = json.RootElement.GetProperty("components").EnumerateArray().Single().GetProperty("checks").EnumerateArray()
            .Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("message").GetString()).ToList();
        Assert.Contains(failed, m => m!.Contains("the backup stored no chunks or index files while the source held 1", StringComparison.Ordinal));
    }

    private static void Write(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private static string Config(TempDirectory temp, Uri url, string dataDir) =>
        JobManifests.WriteConfig(temp, temp.Sub("repo"), $"""
            components:
              loki: {"{"} type: loki, url: "{url}", data_dir: {dataDir} {"}"}
            jobs:
              logs: {"{"} repository: main, components: [loki] {"}"}
            """);
}
