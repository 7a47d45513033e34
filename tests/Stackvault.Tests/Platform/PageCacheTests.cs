using Microsoft.Win32.SafeHandles;
using Stackvault.Platform;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Platform;

/// <summary>
/// The page-cache hints (<see cref="PageCache"/>) on the test machine's real filesystem: a drop lets go of clean pages
/// only, never of data not yet on the disk, and the counts come from the kernel (cachestat).
/// </summary>
public sealed class PageCacheTests
{
    /// <summary>A fact skipped, with the reason, where the kernel cannot count cached pages or the temp directory keeps them (tmpfs).</summary>
    public sealed class PageCacheFactAttribute : FactAttribute
    {
        public PageCacheFactAttribute()
        {
            if (WhyUnavailable is { } reason)
            {
                Skip = reason;
            }
        }
    }

    /// <summary>Null where the tests can observe the page cache; otherwise why not.</summary>
    public static string? WhyUnavailable { get; } = Probe();

    [PageCacheFact]
    public void Drop_OfSyncedFile_LeavesNoPage_AndTheBytesReadBack()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("synced");
        var data = Random(4 << 20, seed: 1);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, data, 0);
            RandomAccess.FlushToDisk(file);
            Assert.Equal(PageCache.Pages(0, data.Length), PageCache.CachedPages(file));
            Assert.False(PageCache.IsCold(file));
            Assert.False(PageCache.IsNotAllCached(file, 0, data.Length));

            PageCache.Drop(file);
            Assert.Equal(0, PageCache.CachedPages(file));
            Assert.True(PageCache.IsCold(file));
            Assert.True(PageCache.IsNotAllCached(file, 4096, 8192));
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [PageCacheFact]
    public void Drop_OfDirtyPages_KeepsThem_UntilWrittenBack()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("dirty");
        var data = Random(2 << 20, seed: 2);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, data, 0);
            PageCache.StartWriteback(file, 0, data.Length);
            PageCache.Drop(file, 0, 1 << 20);
            Assert.Equal(data, Read(file, data.Length)); // whatever was dropped was on the disk

            RandomAccess.FlushToDisk(file);
            PageCache.Drop(file, 0, 1 << 20);
            Assert.Equal(PageCache.Pages(0, 1 << 20), PageCache.CachedPages(file, 1 << 20, 1 << 20)); // only the range asked for
            Assert.Equal(0, PageCache.CachedPages(file, 0, 1 << 20));
        }

        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [Fact]
    public void Pages_CountsEveryPageTheRangeTouches()
    {
        var page = Environment.SystemPageSize;
        Assert.Equal(1, PageCache.Pages(0, 1));
        Assert.Equal(1, PageCache.Pages(0, page));
        Assert.Equal(2, PageCache.Pages(page - 1, 2));
        Assert.Equal(3, PageCache.Pages(1, 2L * page));
    }

    /// <summary>Pages of <paramref name="path"/> in the page cache (the test skipped where unknown).</summary>
    public static long CachedPages(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return PageCache.CachedPages(file) ?? throw new InvalidOperationException("cachestat failed after the probe succeeded");
    }

    /// <summary>Pages the whole file spans.</summary>
    public static long FilePages(string path) => PageCache.Pages(0, new FileInfo(path).Length);

    /// <summary>Makes the file's pages cold (synced, then dropped) and checks they are.</summary>
    public static void MakeCold(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.FlushToDisk(file);
        PageCache.Drop(file);
        Assert.Equal(0, PageCache.CachedPages(file));
    }

    /// <summary>Reads the whole file, so that all its pages are cached, and checks they are.</summary>
    public static void MakeHot(string path)
    {
        _ = File.ReadAllBytes(path);
        Assert.Equal(FilePages(path), CachedPages(path));
    }

    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static byte[] Read(SafeFileHandle file, int length)
    {
        var buffer = new byte[length];
        Assert.Equal(length, RandomAccess.Read(file, buffer, 0));
        return buffer;
    }

    private static string? Probe()
    {
        try
        {
            var path = Path.Combine(Path.GetTempPath(), "sv-pagecache-probe-" + Guid.NewGuid().ToString("N"));
            try
            {
                using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
                RandomAccess.Write(file, new byte[64 << 10], 0);
                RandomAccess.FlushToDisk(file);
                if (PageCache.CachedPages(file) is not { } before)
                {
                    return "the kernel cannot count cached pages (cachestat needs Linux 6.5)";
                }

                PageCache.Drop(file);
                return before > 0 && PageCache.CachedPages(file) == 0 ? null : $"{Path.GetTempPath()} keeps its pages in memory (tmpfs): nothing to drop";
            }
            finally
            {
                File.Delete(path);
            }
        }
        catch (IOException e)
        {
            return "cannot probe the page cache: " + e.Message;
        }
    }
}
