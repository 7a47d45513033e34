using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Stackvault.Platform;

/// <summary>
/// What Stackvault tells the kernel about the page cache of the bytes it reads or writes once: a backup's cold
/// sources, the packs it writes, the packs a restore reads, the files a restore writes. Left to itself the kernel
/// keeps all of them cached: a 5 GB restore ends with 5 GB of the target and 4 GB of packs in memory, up to a fifth of
/// it dirty (then every writer is throttled), the services beside it lose their cache, and each of those pages is
/// a fresh allocation, which on a VM whose free memory goes back to the host (virtio-balloon free page reporting,
/// Firecracker) costs a fault in the host per page: profiled in docs/benchmarks.md ("Stop 19"). The rule is to leave
/// the cache as it was found: only pages Stackvault brought in are dropped (a source or pack that was cached, even
/// partly, is left alone; <see cref="IsCold"/> needs cachestat, Linux 6.5, and says false without it), and dirty
/// pages are never dropped, only their writeback started. A restore's target is written behind from its first byte
/// when the restore writes more than <see cref="AbsorbableBytes"/>; packs and sources are let go only once an operation
/// has moved more than that of them. Below it the kernel absorbs them and dropping costs more than it saves
/// (docs/benchmarks.md, stops 19 and 20). Every call is a hint: failures are ignored.
/// </summary>
public static unsafe class PageCache
{
    /// <summary>Bytes written to or read from one file between two drops of its clean pages.</summary>
    public const long DropEvery = 16L << 20;

    /// <summary>Offset and length meaning "the whole file" to posix_fadvise and sync_file_range.</summary>
    public const long WholeFile = 0;

    private static volatile bool _noCachestat;

    private static readonly Lazy<long> Absorbable = new(ComputeAbsorbable);

    /// <summary>
    /// What the page cache takes without pressure: the kernel's background writeback threshold
    /// (vm.dirty_background_bytes, or vm.dirty_background_ratio percent of the available memory), the point past
    /// which it starts writing and reclaiming on its own; 256 MiB where /proc cannot say.
    /// </summary>
    public static long AbsorbableBytes => Absorbable.Value;

    /// <summary>
    /// True when none of the file's pages is in the page cache; false when some are, or when the kernel cannot tell
    /// (then nothing is dropped).
    /// </summary>
    public static bool IsCold(SafeFileHandle file) => CachedPages(file) == 0;

    /// <summary>
    /// True when the range's pages are not all in the page cache (the kernel's read-ahead of an earlier read may have
    /// brought some); false when all are, or when the kernel cannot tell.
    /// </summary>
    public static bool IsNotAllCached(SafeFileHandle file, long offset, long length) =>
        length > 0 && CachedPages(file, offset, length) is { } cached && cached < Pages(offset, length);

    /// <summary>The number of pages the byte range touches.</summary>
    public static long Pages(long offset, long length) => ((offset + length + Environment.SystemPageSize - 1) / Environment.SystemPageSize) - (offset / Environment.SystemPageSize);

    /// <summary>The number of the file's pages in the range that are in the page cache, or null when the kernel cannot tell.</summary>
    public static long? CachedPages(SafeFileHandle file, long offset = 0, long length = WholeFile)
    {
        if (_noCachestat || file.IsInvalid)
        {
            return null;
        }

        // struct cachestat_range { u64 off, len; }; struct cachestat { u64 nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted; }
        var range = stackalloc long[2];
        range[0] = offset;
        range[1] = length;
        var stat = stackalloc long[5];
        if (LibC.Syscall(LibC.SysCachestat, (long)file.DangerousGetHandle(), range, stat, 0) == 0)
        {
            return stat[0];
        }

        if (Marshal.GetLastPInvokeError() is Errno.ENOSYS or Errno.EPERM)
        {
            _noCachestat = true; // an older kernel, or a seccomp filter that does not know the call
        }

        return null;
    }

    /// <summary>
    /// Tells the kernel the file is read at random places (posix_fadvise RANDOM): each read brings in what it asks for
    /// and no read-ahead beyond it, so whether a range was cached before its read can be told exactly.
    /// </summary>
    public static void ReadsAtRandom(SafeFileHandle file)
    {
        if (!file.IsInvalid)
        {
            _ = LibC.FAdvise((int)file.DangerousGetHandle(), 0, WholeFile, LibC.FAdvRandom);
        }
    }

    /// <summary>
    /// Asks the kernel to start reading the first <paramref name="length"/> bytes of the file at <paramref name="path"/>
    /// into the page cache (posix_fadvise WILLNEED: it queues the reads and returns without waiting for them). Returns
    /// whether the file was cold before the request (<see cref="IsCold"/>, so whoever reads it later can still tell
    /// pages it brought in from pages a service had cached), or null when the file cannot be opened.
    /// </summary>
    public static bool? ReadAhead(string path, long length)
    {
        var fd = LibC.Open(path, LibC.OReadOnly | LibC.OCloExec, 0);
        if (fd < 0)
        {
            return null;
        }

        using var file = new SafeFileHandle(fd, ownsHandle: true);
        var cold = IsCold(file);
        _ = LibC.FAdvise(fd, 0, length, LibC.FAdvWillNeed);
        return cold;
    }

    private static long ComputeAbsorbable()
    {
        const long fallback = 256L << 20;
        try
        {
            if (long.TryParse(File.ReadAllText("/proc/sys/vm/dirty_background_bytes").Trim(), out var bytes) && bytes > 0)
            {
                return bytes;
            }

            var ratio = long.TryParse(File.ReadAllText("/proc/sys/vm/dirty_background_ratio").Trim(), out var r) ? r : 10;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                // "MemAvailable:   23456789 kB"
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[0] == "MemAvailable:" && long.TryParse(parts[1], out var kib))
                {
                    return Math.Max(fallback, kib * 1024 / 100 * ratio);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return fallback;
    }

    /// <summary>Starts writing the range's dirty pages to the disk and returns at once (sync_file_range WRITE).</summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (!file.IsInvalid)
        {
            _ = LibC.SyncFileRange((int)file.DangerousGetHandle(), offset, length, LibC.SyncFileRangeWrite);
        }
    }

    /// <summary>
    /// Drops the clean pages of the file at <paramref name="path"/>; with <paramref name="waitForWriteback"/> its dirty
    /// pages are written first and waited for (sync_file_range WAIT_BEFORE | WRITE | WAIT_AFTER: the data, not the
    /// metadata, and no flush of the disk's cache). A file that cannot be opened is left alone.
    /// </summary>
    public static void DropFile(string path, bool waitForWriteback)
    {
        var fd = LibC.Open(path, LibC.OReadOnly | LibC.OCloExec, 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            if (waitForWriteback)
            {
                _ = LibC.SyncFileRange(fd, 0, WholeFile, LibC.SyncFileRangeWaitBefore | LibC.SyncFileRangeWrite | LibC.SyncFileRangeWaitAfter);
            }

            _ = LibC.FAdvise(fd, 0, WholeFile, LibC.FAdvDontNeed);
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    /// <summary>
    /// Drops the range's clean pages from the page cache (posix_fadvise DONTNEED); dirty pages stay and have their
    /// writeback started. Never loses data: only pages identical to what is on the disk are let go. Only whole folios
    /// inside the range go (the kernel caches files in folios of up to megabytes), so a drop is best given from the
    /// file's start or for all of it.
    /// </summary>
    public static void Drop(SafeFileHandle file, long offset = 0, long length = WholeFile)
    {
        if (!file.IsInvalid)
        {
            _ = LibC.FAdvise((int)file.DangerousGetHandle(), offset, length, LibC.FAdvDontNeed);
        }
    }
}
