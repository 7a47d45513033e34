using Stackvault.Progress;
using Stackvault.Repository.Model;
using Stackvault.Restore;
using Stackvault.Storage.Local;
using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A restore leaves the page cache as it found it (<see cref="Stackvault.Platform.PageCache"/>): the files it writes
/// are written behind and let go, whatever the size; past what the page cache takes without pressure, the packs it
/// reads are let go when they were not cached before, and left cached when they were. Counted by the kernel (cachestat) on the test
/// machine's filesystem: through the real CLI, and in process where the threshold is set to 0.
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

        // Through the CLI: what the restore wrote is let go (40 MiB of pack reads is far below the threshold: those
        // keep the kernel's read-ahead and caching).
        var target = temp.Sub("restore-cli");
        await cli.RunOkAsync("restore", "latest", "--target", target);
        var restored = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(31, restored.Count);
        var written = restored.Sum(PageCacheProbe.FilePages);
        var stillCached = restored.Sum(PageCacheProbe.CachedPages);
        Assert.True(stillCached * 50 < written, $"{stillCached} of the {written} pages the restore wrote are still cached");
        Assert.Equal(large, await File.ReadAllBytesAsync(target + source + "/large.bin")); // (reading caches it again)

        // In process, letting go of pack reads from the first byte: cold packs are let go, hot packs stay cached.
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

        await RestoreInProcessAsync(repository, files, temp.Sub("restore-cold"));
        var packsCached = packs.Sum(PageCacheProbe.CachedPages);
        Assert.True(packsCached * 50 < packPages, $"{packsCached} of {packPages} pack pages were left cached by reading cold packs");

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
        var writer = new PackOrderWriter(repository, concurrency: 2, new OperationProgress());
        Assert.Empty(await writer.WriteAsync(files.Select(f => (Path.Combine(target, f.Name), f.Name, f)).ToList(), CancellationToken.None));
    }
}
