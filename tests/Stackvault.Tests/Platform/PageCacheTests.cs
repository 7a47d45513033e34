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
    [PageCacheFact]
    public void Drop_OfSyncedFile_LeavesNoPage_AndTheBytesReadBack()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("synced");
        var data = PageCacheProbe.Random(4 << 20, seed: 1);
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
        var data = PageCacheProbe.Random(2 << 20, seed: 2);
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.Write(file, data, 0);
            PageCache.StartWriteback(file, 0, data.Length);
            PageCache.Drop(file);
            Assert.Equal(data, Read(file, data.Length)); // whatever was dropped was on the disk

            RandomAccess.FlushToDisk(file);
            PageCache.Drop(file);
            Assert.Equal(0, PageCache.CachedPages(file));
        }

        PageCache.DropFile(path, waitForWriteback: true);
        Assert.Equal(data, File.ReadAllBytes(path));
    }

    [PageCacheFact]
    public void DropFile_WaitingForWriteback_LetsGoOfAFileJustWritten()
    {
        using var temp = new TempDirectory();
        var path = temp.Sub("written");
        var data = PageCacheProbe.Random(8 << 20, seed: 3);
        File.WriteAllBytes(path, data); // dirty, not synced
        Assert.Equal(PageCacheProbe.FilePages(path), PageCacheProbe.CachedPages(path));

        PageCache.DropFile(path, waitForWriteback: true);
        Assert.Equal(0, PageCacheProbe.CachedPages(path));
        Assert.Equal(data, File.ReadAllBytes(path));
        PageCache.DropFile(temp.Sub("absent"), waitForWriteback: true); // a file that cannot be opened is left alone
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

    private static byte[] Read(SafeFileHandle file, int length)
    {
        var buffer = new byte[length];
        Assert.Equal(length, RandomAccess.Read(file, buffer, 0));
        return buffer;
    }
}
