using Stackvault.Progress;
using Stackvault.Repository.Model;
using Stackvault.Restore;
using Stackvault.Storage.Local;
using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A restore leaves the page cache as it found it (<see cref="Stackvault.Platform.PageCache"/>) past what the page
/// cache takes without pressure: the files it writes are written behind and let go, and the packs it reads are let go
/// when they were not cached before, and left cached when they were; below that it leaves both to the kernel. Counted
/// by the kernel (cachestat) on the test machine's filesystem: through the real CLI (below), and in process where
/// both thresholds are set to 0.
/// </summary>
public sealed class RestorePageCacheTests
{
    private const string Password = "test-password";

    [PageCacheFact]
    public async Task Restore_LetsGoOfWhatItWroteAndOfColdPacks_KeepsHotPacksCached()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"), Password);
        await cli.InitAsync();
        var source = temp.Sub("src");
        Directory.CreateDirectory(source);
        var large = PageCacheProbe.Random(40 << 20, seed: 7); // over two drop intervals, in several packs
        await File.WriteAllBytesAsync(Path.Combine(source, "large.bin"), large);
        for (var i = 0; i < 30; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(source, $"small-{i:D2}.bin"), PageCacheProbe.Random(24_000 + i, seed: 100 + i));
        }

        await cli.RunOkAsync("backup", source);
        var packs = Directory.EnumerateFiles(Path.Combine(cli.Repository, "data"), "*", SearchOption.AllDirectories).ToList();
        Assert.True(packs.Count >= 2, $"the backup wrote {packs.Count} packs");
        var packPages = packs.Sum(PageCacheProbe.FilePages);

        // Through the CLI: 40 MiB is far below what the page cache takes without pressure, so the restore leaves its
        // writes (and its pack reads) to the kernel, as untar does.
        var target = temp.Sub("restore-cli");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        var restored = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(31, restored.Count);
        Assert.Equal(restored.Sum(PageCacheProbe.FilePages), restored.Sum(PageCacheProbe.CachedPages));
        Assert.Equal(large, await File.ReadAllBytesAsync(target + source + "/large.bin"));

        // In process, past both thresholds from the first byte (pack reads and the restore's writes): what it wrote is
        // let go, cold packs are let go, hot packs stay cached.
        foreach (var pack in packs)
        {
            PageCacheProbe.MakeCold(pack);
        }

        await using var repository = await Stackvault.Repository.Repository.OpenAsync(
            new LocalStorage(new LocalStorageOptions(cli.Repository) { LetGoOfPacksAfter = 0 }), Password, TimeProvider.System, CancellationToken.None);
        await repository.LoadIndexAsync(CancellationToken.None);
        var (_, snapshot) = await repository.FindSnapshotAsync("latest", null, CancellationToken.None);
        var files = new List<Node>();
        await RestoreBytesInFlightTests.CollectAsync(repository, snapshot.Tree, files);
        foreach (var pack in packs)
        {
            PageCacheProbe.MakeCold(pack); // (the trees were just read)
        }

        var cold = temp.Sub("restore-cold");
        await RestoreInProcessAsync(repository, files, cold);
        var packsCached = packs.Sum(PageCacheProbe.CachedPages);
        Assert.True(packsCached * 50 < packPages, $"{packsCached} of {packPages} pack pages were left cached by reading cold packs");
        var coldFiles = Directory.EnumerateFiles(cold, "*", SearchOption.AllDirectories).ToList();
        var written = coldFiles.Sum(PageCacheProbe.FilePages);
        var stillCached = coldFiles.Sum(PageCacheProbe.CachedPages);
        Assert.True(stillCached * 50 < written, $"{stillCached} of the {written} pages the restore wrote are still cached"); // written behind

        foreach (var pack in packs)
        {
            PageCacheProbe.MakeHot(pack);
        }

        var hot = temp.Sub("restore-hot");
        await RestoreInProcessAsync(repository, files, hot);
        Assert.Equal(packPages, packs.Sum(PageCacheProbe.CachedPages));
        Assert.Equal(large, await File.ReadAllBytesAsync(Path.Combine(hot, "large.bin")));
    }

    private static async Task RestoreInProcessAsync(Stackvault.Repository.Repository repository, List<Node> files, string target)
    {
        Directory.CreateDirectory(target);
        var writer = new PackOrderWriter(repository, concurrency: 2, new OperationProgress(), writeBehindAbove: 0);
        Assert.Empty(await writer.WriteAsync(files.Select(f => (Path.Combine(target, f.Name), f.Name, f)).ToList(), CancellationToken.None));
    }
}
