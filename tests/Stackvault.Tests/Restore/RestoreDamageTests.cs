using System.Text.Json;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// Issue 14 item 4: a damaged pack costs only the files that need it. The restore writes everything intact, names
/// each file it could not restore (one line each), leaves those files out and exits 1. Also the restore progress
/// (issue 17): `status` lines with percent_done under --json.
/// </summary>
public class RestoreDamageTests
{
    [Fact]
    public async Task Restore_OneCorruptPackAmongHealthyOnes_RestoresTheRestNamesTheDamagedAndExits1()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var first = temp.Sub("src/first");
        var second = temp.Sub("src/second");
        Directory.CreateDirectory(first);
        Directory.CreateDirectory(second);
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(first, $"a{i}.bin"), Random(300_000, seed: i));
        }

        await cli.RunOkAsync("backup", first);
        var packsOfFirst = Packs(cli.Repository);
        for (var i = 0; i < 4; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(second, $"b{i}.bin"), Random(300_000, seed: 100 + i));
        }

        await cli.RunOkAsync("backup", first, second);

        // Flip one byte in the middle of the first backup's data pack (its largest pack): one blob of first/ is corrupt.
        var pack = packsOfFirst.OrderByDescending(p => new FileInfo(p).Length).First();
        Assert.Contains(pack, Packs(cli.Repository));
        File.SetUnixFileMode(pack, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = await File.ReadAllBytesAsync(pack);
        bytes[bytes.Length / 2] ^= 0x5A;
        await File.WriteAllBytesAsync(pack, bytes);

        var target = temp.Sub("target");
        var result = await cli.RunAsync("restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        var named = result.Stderr.Split('\n').Where(l => l.Contains("not restored: ", StringComparison.Ordinal)).ToList();
        Assert.InRange(named.Count, 1, 2);
        Assert.All(named, l => Assert.Contains("/first/a", l, StringComparison.Ordinal));
        Assert.Contains("could not be restored", result.Stderr, StringComparison.Ordinal);

        // Every intact file is there, byte-identical; every named one is absent (never wrong bytes).
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(Random(300_000, seed: 100 + i), await File.ReadAllBytesAsync(target + second + $"/b{i}.bin"));
        }

        var intact = 0;
        for (var i = 0; i < 3; i++)
        {
            var path = target + first + $"/a{i}.bin";
            if (named.Any(l => l.Contains($"/a{i}.bin", StringComparison.Ordinal)))
            {
                Assert.False(File.Exists(path), path);
            }
            else
            {
                Assert.Equal(Random(300_000, seed: i), await File.ReadAllBytesAsync(path));
                intact++;
            }
        }

        Assert.Equal(3 - named.Count, intact);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(target), e => Path.GetFileName(e).StartsWith(".stackvault-restore-", StringComparison.Ordinal));

        // --json: the summary counts and names the failed files, and the exit code is the same.
        var json = await cli.RunAsync("--json", "restore", "latest", "--target", temp.Sub("target-json"));
        Assert.True(json.ExitCode == 1, json.ToString());
        var summary = Lines(json.Stdout).Single(l => l.GetProperty("message_type").GetString() == "summary");
        Assert.Equal(named.Count, summary.GetProperty("files_failed").GetInt32());
    }

    [Fact]
    public async Task Restore_Json_PrintsStatusLinesWithPercentDone()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, $"f{i}"), Random(100_000, seed: i));
        }

        await cli.RunOkAsync("backup", source);
        cli.Environment["STACKVAULT_PROGRESS_INTERVAL"] = "20ms";
        var result = await cli.RunOkAsync("--json", "restore", "latest", "--target", temp.Sub("target"));
        var last = Cli.OperationProgressCliTests.AssertProgress(result.Stdout, "restore");
        Assert.Equal(5, last.GetProperty("total_files").GetInt64());
        Assert.Equal(500_000, last.GetProperty("total_bytes").GetInt64());

        // restic's restore names, as before the shared display
        Assert.Equal(5, last.GetProperty("files_restored").GetInt64());
        Assert.Equal(500_000, last.GetProperty("bytes_restored").GetInt64());
    }

    internal static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static List<string> Packs(string repository) => [.. Directory.EnumerateFiles(Path.Combine(repository, "data"), "*", SearchOption.AllDirectories)];

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
}
