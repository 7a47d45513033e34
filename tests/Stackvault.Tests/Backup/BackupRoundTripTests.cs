using Stackvault.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Backup;

public class BackupRoundTripTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Restore_AwkwardTree_ByteIdenticalWithMetadata(bool encrypted)
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(1).Awkward(source);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync(encrypted ? [] : ["--no-encryption"]);
        var backup = await cli.RunOkAsync("backup", source, "--json", "--tag", "round-trip");
        Assert.Equal("complete", backup.Message("summary").GetProperty("status").GetString());

        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target, "--verify");
        TreeComparer.AssertSame(source, target + source);

        // Sparse stays sparse: 64 MiB apparent, a few KiB allocated.
        var sparse = Posix.LStat(target + source + "/sparse.img");
        Assert.Equal(64L * 1024 * 1024, sparse.Size);
        Assert.True(sparse.Blocks * 512 < 8L * 1024 * 1024, $"sparse file allocates {sparse.Blocks * 512} bytes");
    }

    [Fact]
    public void ChunkRing_HoldsOneMaximumSizeChunk_NotTwo()
    {
        // The ring of chunks in flight is the backup's largest fixed buffer: 8 MiB with the default chunker (whose
        // largest chunk is 8 MiB), one largest chunk for a repository whose chunks may be larger.
        Assert.Equal(8 << 20, Stackvault.Backup.FileArchiver.RingCapacity(Stackvault.Chunking.ChunkerParameters.Default));
        Assert.Equal(32 << 20, Stackvault.Backup.FileArchiver.RingCapacity(new Stackvault.Chunking.ChunkerParameters(1 << 20, 4 << 20, 32 << 20)));
    }

    [Fact]
    public async Task Restore_FilesOfMaximumSizeChunks_ThroughARingOfOneSuchChunk_ByteIdentical()
    {
        // Runs of zeros have no cut point: every chunk of them is of the maximum size, as large as the whole ring, so
        // each waits until every other chunk in flight has been stored. Three files side by side, random bytes between
        // the runs (chunks of the average size beside the largest): the backup must neither stall nor mix them up.
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        var random = new Random(24);
        for (var f = 0; f < 3; f++)
        {
            using var file = File.Create(Path.Combine(source, $"chunks-{f}"));
            for (var part = 0; part < 3; part++)
            {
                var noise = new byte[3 << 20];
                random.NextBytes(noise);
                file.Write(noise);
                file.Write(new byte[(17 << 20) + (f * 4096)]);
            }
        }

        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target, "--verify");
        TreeComparer.AssertSame(source, target + source);
    }

    [Fact]
    public async Task Restore_IncludePattern_RestoresOnlyMatches()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        var generator = new TreeGenerator(2);
        generator.File(Path.Combine(source, "prometheus", "wal", "00000001"), 1000);
        generator.File(Path.Combine(source, "prometheus", "01HX", "meta.json"), 100);
        generator.File(Path.Combine(source, "grafana", "grafana.db"), 1000);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source, "--exclude", "wal");
        var target = temp.Sub("restore");
        await cli.RunOkAsync("restore", "latest", "--target", target, "--include", "meta.json");
        Assert.True(File.Exists(target + source + "/prometheus/01HX/meta.json"));
        Assert.False(File.Exists(target + source + "/grafana/grafana.db"));
        Assert.False(Directory.Exists(target + source + "/prometheus/wal"));
    }

    [Fact]
    public async Task Restore_DryRun_WritesNothingAndListsEntries()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(3).File(Path.Combine(source, "a.txt"), 10);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var target = temp.Sub("restore");
        var result = await cli.RunOkAsync("restore", "latest", "--target", target, "--dry-run", "--json");
        Assert.False(Directory.Exists(target));
        Assert.Contains(result.Message("summary").GetProperty("entries").EnumerateArray(), e => e.GetProperty("path").GetString()!.EndsWith("/a.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Restore_OverExistingTarget_KeepsReplacedEntriesAsPreRestore()
    {
        using var temp = new TempDirectory();
        var source = temp.Sub("src");
        new TreeGenerator(4).File(Path.Combine(source, "a.txt"), 10);
        var cli = new CliRunner(temp.Sub("repo"));
        await cli.InitAsync();
        await cli.RunOkAsync("backup", source);
        var target = temp.Sub("restore");
        Directory.CreateDirectory(target);
        var topName = source.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        Directory.CreateDirectory(Path.Combine(target, topName));
        File.WriteAllText(Path.Combine(target, topName, "old.txt"), "precious");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        var kept = Directory.GetDirectories(target, topName + ".pre-restore-*").Single();
        Assert.Equal("precious", File.ReadAllText(Path.Combine(kept, "old.txt")));
        Assert.True(File.Exists(target + source + "/a.txt"));
    }
}
