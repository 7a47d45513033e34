using System.Text.Json;
using Stackvault.Tests.Jobs;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Cli;

/// <summary>
/// Issue 17: every long operation reports progress under --json as restic-shaped `status` lines, the last one at
/// 100 % with the bytes done equal to the total known up front (what the operation had to read or write), followed by
/// the result as a `summary` record. STACKVAULT_PROGRESS_INTERVAL makes the lines frequent; nothing here depends on
/// how many appear before the last.
/// </summary>
public class OperationProgressCliTests
{
    private const int FileCount = 6;
    private const int FileSize = 1 << 20;

    [Fact]
    public async Task VerifyReadData_Json_ReportsThePacksReadAgainstAllPackBytes()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await SeedAsync(temp);
        var result = await cli.RunOkAsync("verify", "--read-data", "--json");

        var last = AssertProgress(result.Stdout, "verify");
        var packs = Directory.EnumerateFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories).Select(p => new FileInfo(p).Length).ToList();
        Assert.Equal(packs.Sum(), last.GetProperty("total_bytes").GetInt64());
        Assert.Equal(packs.Count, last.GetProperty("files_done").GetInt64());
        Assert.True(result.Json().GetProperty("ok").GetBoolean());
        Assert.Equal(packs.Count, result.Json().GetProperty("packs_read").GetInt32());
    }

    [Fact]
    public async Task Prune_Json_ReportsTheRepackedPackBytes()
    {
        using var temp = new TempDirectory();
        var (cli, source) = await SeedAsync(temp, packSizeMiB: 16); // one data pack: half of it unused below
        for (var i = 0; i < FileCount / 2; i++)
        {
            File.Delete(Path.Combine(source, $"f{i}"));
        }

        await cli.RunOkAsync("backup", source);
        await cli.RunOkAsync("forget", "--keep-last", "1");
        var result = await cli.RunOkAsync("prune", "--max-unused", "0", "--json");

        var last = AssertProgress(result.Stdout, "prune");
        var repacked = result.Json().GetProperty("packs_repacked").GetInt32();
        Assert.Equal(1, repacked);
        Assert.Equal(repacked, last.GetProperty("files_done").GetInt64());
        // The repacked packs, read whole: more than their used blobs, no more than all that was deleted.
        Assert.InRange(last.GetProperty("total_bytes").GetInt64(), result.Json().GetProperty("bytes_repacked").GetInt64() + 1, result.Json().GetProperty("bytes_deleted").GetInt64());
    }

    [Fact]
    public async Task Copy_Json_ReportsTheSnapshotBytesAgainstTheManifestTotals()
    {
        using var temp = new TempDirectory();
        var (source, _) = await SeedAsync(temp);
        var destination = new CliRunner(temp.Sub("copy")) { Environment = { [Interval] = "20ms", ["STACKVAULT_FROM_PASSWORD"] = "test-password" } };
        await destination.InitAsync();
        var result = await destination.RunOkAsync("copy", "--from-repo", source.Repository, "--json");

        var last = AssertProgress(result.Stdout, "copy");
        Assert.Equal((long)FileSize * FileCount, last.GetProperty("total_bytes").GetInt64());
        Assert.Equal(FileCount, last.GetProperty("total_files").GetInt64());
        Assert.Equal(1, result.Json().GetProperty("snapshots_copied").GetInt32());
    }

    [Fact]
    public async Task Export_Json_ReportsTheFileBytes_OnStdoutToAFile_OnStderrWhenStdoutIsTheArchive()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await SeedAsync(temp);
        var toFile = await cli.RunOkAsync("export", "latest", "-o", temp.Sub("out.tar"), "--json");
        var last = AssertProgress(toFile.Stdout, "export");
        Assert.Equal((long)FileSize * FileCount, last.GetProperty("total_bytes").GetInt64());
        Assert.Equal(FileCount, last.GetProperty("files_done").GetInt64());

        var toStdout = await cli.RunOkAsync("export", "latest", "--json");
        var lastOnStderr = AssertProgress(toStdout.Stderr, "export");
        Assert.Equal((long)FileSize * FileCount, lastOnStderr.GetProperty("bytes_done").GetInt64());
        Assert.Equal("summary", Records(toStdout.Stderr)[^1].GetProperty("message_type").GetString());
        Assert.DoesNotContain("\"message_type\"", toStdout.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_Json_ReportsTheRestoredBytesAgainstTheComponentSizes()
    {
        using var temp = new TempDirectory();
        var live = temp.Sub("live");
        var generator = new TreeGenerator(5);
        for (var i = 0; i < FileCount; i++)
        {
            generator.File(Path.Combine(live, $"f{i}"), FileSize, compressible: false);
        }

        var config = JobManifests.WriteConfig(temp, temp.Sub("repo"), $$"""
            components:
              etc: { type: files, paths: [{{live}}] }
            jobs:
              files: { repository: main, components: [etc] }
            """);
        var cli = new CliRunner(temp.Sub("repo")) { Environment = { [Interval] = "20ms" } };
        await cli.InitAsync();
        await cli.RunOkAsync("backup", "--job", "files", "--config", config);
        var result = await cli.RunOkAsync("drill", "--job", "files", "--config", config, "--json");

        var last = AssertProgress(result.Stdout, "drill");
        Assert.Equal((long)FileSize * FileCount, last.GetProperty("total_bytes").GetInt64());
        Assert.Equal("passed", result.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task BadInterval_IsAUsageError()
    {
        using var temp = new TempDirectory();
        var (cli, _) = await SeedAsync(temp);
        cli.Environment[Interval] = "often";
        var result = await cli.ExpectAsync(2, "verify", "--read-data", "--json");
        Assert.Contains("STACKVAULT_PROGRESS_INTERVAL: 'often' is not a duration", result.Stderr, StringComparison.Ordinal);
    }

    private const string Interval = "STACKVAULT_PROGRESS_INTERVAL";

    /// <summary>A repository (1 MiB packs: several to read) with one snapshot of <see cref="FileCount"/> incompressible files; status lines every 20 ms.</summary>
    private static async Task<(CliRunner Cli, string Source)> SeedAsync(TempDirectory temp, int packSizeMiB = 1)
    {
        var source = temp.Sub("src");
        var generator = new TreeGenerator(3);
        for (var i = 0; i < FileCount; i++)
        {
            generator.File(Path.Combine(source, $"f{i}"), FileSize, compressible: false);
        }

        var cli = new CliRunner(temp.Sub("repo")) { Environment = { [Interval] = "20ms" } };
        await cli.InitAsync("--pack-size", packSizeMiB.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await cli.RunOkAsync("backup", source);
        return (cli, source);
    }

    private static List<JsonElement> Records(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>
    /// The status lines of <paramref name="action"/>: at least one with a percent_done in (0, 1], every percent in
    /// [0, 1] and never going back, the last one at 1.0 with bytes_done equal to total_bytes. Returns the last one.
    /// </summary>
    internal static JsonElement AssertProgress(string text, string action)
    {
        var records = Records(text);
        var status = records.Where(r => r.GetProperty("message_type").GetString() == "status").ToList();
        Assert.NotEmpty(status);
        Assert.All(status, s => Assert.Equal(action, s.GetProperty("action").GetString()));
        var percents = status.Where(s => s.TryGetProperty("percent_done", out _)).Select(s => s.GetProperty("percent_done").GetDouble()).ToList();
        Assert.Contains(percents, p => p > 0 && p <= 1);
        Assert.All(percents, p => Assert.InRange(p, 0, 1));
        Assert.Equal(percents.Order(), percents);
        var last = status[^1];
        Assert.Equal(1.0, last.GetProperty("percent_done").GetDouble());
        Assert.Equal(last.GetProperty("total_bytes").GetInt64(), last.GetProperty("bytes_done").GetInt64());
        Assert.Equal("summary", records[^1].GetProperty("message_type").GetString());
        return last;
    }
}
