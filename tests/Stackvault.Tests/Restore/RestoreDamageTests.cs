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

    /// <summary>
    /// A pack cut short (a copy that stopped, a disk that lost its tail) still holds its first blobs whole. They are read
    /// in one range with the lost ones, and that read fails; the restore reads the range again blob by blob, restores
    /// the files whose blobs lie before the cut and names only the one past it. The snapshot's trees are in a later
    /// pack (its files were touched), so the plan is readable and only data is lost.
    /// </summary>
    [Fact]
    public async Task Restore_TruncatedPack_RestoresTheFilesBeforeTheCutNamesTheOnePastIt()
    {
        using var temp = new TempDirectory();
        var (cli, source, pack, blobs) = await BackUpThreeFilesThenTouchAsync(temp);
        Assert.Equal(3, blobs.Count);
        var last = blobs.MaxBy(b => b.Offset);
        RepositoryFiles.Truncate(pack, last.Offset + (last.Length / 2));

        var target = temp.Sub("target");
        var result = await cli.RunAsync("restore", "latest", "--target", target);
        Assert.True(result.ExitCode == 1, result.ToString());
        var named = result.Stderr.Split('\n').Where(l => l.Contains("not restored: ", StringComparison.Ordinal)).ToList();
        Assert.True(named.Count == 1, result.ToString());
        Assert.Contains("truncated", named[0], StringComparison.Ordinal);
        Assert.Contains("restored snapshot", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 files", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("585.94 KiB", result.Stdout, StringComparison.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var path = target + source + $"/a{i}.bin";
            if (named[0].Contains($"/a{i}.bin:", StringComparison.Ordinal))
            {
                Assert.False(File.Exists(path), path);
            }
            else
            {
                Assert.Equal(Random(300_000, seed: i), await File.ReadAllBytesAsync(path));
            }
        }
    }

    /// <summary>
    /// When no file at all can be restored, a partial restore has nothing to keep: it fails naming the damage and
    /// leaves the target as it found it: not created when it did not exist, its entries untouched when it did; no
    /// empty directory tree that looks restored, no staging directory.
    /// </summary>
    [Fact]
    public async Task Restore_EveryFileDamaged_FailsAndChangesNothingInTheTarget()
    {
        using var temp = new TempDirectory();
        var (cli, source, pack, _) = await BackUpThreeFilesThenTouchAsync(temp);
        RepositoryFiles.Truncate(pack, 100);

        var absent = temp.Sub("absent");
        var result = await cli.RunAsync("restore", "latest", "--target", absent);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no file could be restored (3 damaged)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(pack)[..8], result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(absent), "a restore that restored nothing must not create its target");

        var existing = temp.Sub("existing");
        Directory.CreateDirectory(existing);
        await File.WriteAllTextAsync(Path.Combine(existing, "keep.txt"), "operator's file");
        result = await cli.RunAsync("restore", "latest", "--target", existing);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(existing).Select(Path.GetFileName));
        Assert.Equal("operator's file", await File.ReadAllTextAsync(Path.Combine(existing, "keep.txt")));
    }

    /// <summary>
    /// Backs up three single-blob files, then touches them and backs up again: the second snapshot's data
    /// is the first backup's pack (returned with the data blobs it holds), its trees are in a later pack.
    /// </summary>
    private static async Task<(CliRunner Cli, string Source, string Pack, List<(long Offset, long Length)> Blobs)> BackUpThreeFilesThenTouchAsync(TempDirectory temp)
    {
        const string password = "damage-test-password";
        var cli = new CliRunner(temp.Sub("repo"), password);
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 3; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, $"a{i}.bin"), Random(300_000, seed: i));
        }

        await cli.RunOkAsync("backup", source);
        var pack = Assert.Single(Packs(cli.Repository));
        // A tree holds its entries' metadata and its subtrees' ids: new file times make every tree of the snapshot new.
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(-7));
        }

        await cli.RunOkAsync("backup", source);
        Assert.Equal(2, Packs(cli.Repository).Count);

        await using var repository = await Stackvault.Repository.Repository.OpenAsync(new Stackvault.Storage.Local.LocalStorage(new Stackvault.Storage.Local.LocalStorageOptions(cli.Repository)), password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var blobs = repository.Index.Snapshot()
            .Where(b => b.Type == Stackvault.Repository.BlobType.Data && repository.Index.PackId(b.PackIndex).ToString() == Path.GetFileName(pack))
            .Select(b => ((long)b.Offset, (long)b.Length))
            .ToList();
        return (cli, source, pack, blobs);
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
