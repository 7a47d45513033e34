using Stackvault.Tests.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Restore;

/// <summary>
/// A restore leaves the page cache as it found it (<see cref="Stackvault.Platform.PageCache"/>): the files it writes
/// are written behind and let go, the packs it reads are let go when they were not cached before, and left cached when
/// they were. Counted by the kernel (cachestat) on the test machine's filesystem, through the real CLI.
/// </summary>
public sealed class RestorePageCacheTests
{
    [PageCacheFact]
    public async Task Restore_LetsGoOfWhatItWroteAndOfColdPacks_KeepsHotPacksCached()
    {
        using var temp = new TempDirectory();
        var cli = new CliRunner(temp.Sub("repo"));
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
        Assert.Equal(0, packs.Sum(PageCacheProbe.CachedPages)); // the backup let go of the packs it wrote and synced

        // Cold packs: what the restore read, and what it wrote, is let go.
        var cold = temp.Sub("restore-cold");
        await cli.RunOkAsync("restore", "latest", "--target", cold);
        var restored = Directory.EnumerateFiles(cold, "*", SearchOption.AllDirectories).ToList();
        Assert.Equal(31, restored.Count);
        var written = restored.Sum(PageCacheProbe.FilePages);
        var stillCached = restored.Sum(PageCacheProbe.CachedPages);
        var packsCached = packs.Sum(PageCacheProbe.CachedPages);
        Assert.True(stillCached * 50 < written, $"{stillCached} of the {written} pages the restore wrote are still cached");
        Assert.True(packsCached * 50 < packPages, $"{packsCached} of {packPages} pack pages were left cached by reading cold packs");
        Assert.Equal(large, await File.ReadAllBytesAsync(cold + source + "/large.bin")); // (reading caches it again)

        // Hot packs: found cached, left cached.
        foreach (var pack in packs)
        {
            PageCacheProbe.MakeHot(pack);
        }

        var hot = temp.Sub("restore-hot");
        await cli.RunOkAsync("restore", "latest", "--target", hot);
        Assert.Equal(large, await File.ReadAllBytesAsync(hot + source + "/large.bin"));
        Assert.Equal(packPages, packs.Sum(PageCacheProbe.CachedPages));
    }
}
