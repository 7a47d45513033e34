using Stackvault.Platform;

namespace Stackvault.Tests.Platform;

/// <summary>A fact skipped, with the reason, where the kernel cannot count cached pages or the temp directory keeps them (tmpfs).</summary>
public sealed class PageCacheFactAttribute : FactAttribute
{
    public PageCacheFactAttribute()
    {
        if (PageCacheProbe.WhyUnavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>What the page-cache tests need: whether the page cache can be observed here, and counts of cached pages.</summary>
public static class PageCacheProbe
{
    /// <summary>Null where the tests can observe the page cache; otherwise why not.</summary>
    public static string? WhyUnavailable { get; } = Probe();

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

    /// <summary>
    /// Whether this kernel and filesystem let the tests see pages dropped, asked with the test's own system calls
    /// (not <see cref="PageCache"/>'s: a broken <see cref="PageCache"/> must fail the tests, not skip them).
    /// </summary>
    private static string? Probe()
    {
        var path = Path.Combine(Path.GetTempPath(), "sv-pagecache-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite);
            RandomAccess.Write(file, new byte[64 << 10], 0);
            RandomAccess.FlushToDisk(file);
            var fd = (int)file.DangerousGetHandle();
            if (RawCached(fd) is not { } before)
            {
                return "the kernel cannot count cached pages (cachestat needs Linux 6.5)";
            }

            _ = posix_fadvise(fd, 0, 0, 4 /* POSIX_FADV_DONTNEED */);
            return before > 0 && RawCached(fd) == 0 ? null : $"{Path.GetTempPath()} keeps its pages in memory (tmpfs): nothing to drop";
        }
        catch (IOException e)
        {
            return "cannot probe the page cache: " + e.Message;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long? RawCached(int fd)
    {
        var stat = new long[5];
        return syscall(451 /* cachestat */, fd, new long[2], stat, 0) == 0 ? stat[0] : null;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern int posix_fadvise(int fd, long offset, long length, int advice);

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern long syscall(long number, long fd, long[] range, long[] stat, long flags);
}
