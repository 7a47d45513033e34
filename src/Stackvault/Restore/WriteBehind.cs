using Microsoft.Win32.SafeHandles;
using Stackvault.Platform;

namespace Stackvault.Restore;

/// <summary>
/// Keeps a restore's target out of the page cache (see <see cref="PageCache"/>): each chunk written is sent to the
/// disk at once, without waiting; a file being written lets go of its written pages every
/// <see cref="PageCache.DropEvery"/> bytes; a completed file is let go once <see cref="Lag"/> more bytes have been
/// written after it (by then its writeback has long ended: pages still being written cannot be dropped), and at the
/// end the last files are written out, waited for, and let go. So a restore of any size ends with at most about one
/// drop interval of the target in memory, and never piles up a fifth of the memory in dirty pages (past which the
/// kernel throttles every writer).
/// </summary>
internal sealed class WriteBehind
{
    /// <summary>Bytes of completed files written and not let go of yet, at most (before the end).</summary>
    public const long Lag = 2 * PageCache.DropEvery;

    private readonly Queue<(string Path, long Bytes)> _completed = new();
    private readonly Lock _gate = new();
    private long _pending;

    /// <summary>After a chunk's bytes were written at <paramref name="offset"/> (under the file's write gate).</summary>
    public static void Written(SafeFileHandle file, long offset, int length, ref long writtenSinceDrop)
    {
        PageCache.StartWriteback(file, offset, length);
        writtenSinceDrop += length;
        if (writtenSinceDrop >= PageCache.DropEvery)
        {
            writtenSinceDrop = 0;
            PageCache.Drop(file);
        }
    }

    /// <summary>After the last chunk of the file at <paramref name="path"/> was written.</summary>
    public void Completed(string path, long bytes)
    {
        List<string>? due = null;
        lock (_gate)
        {
            _completed.Enqueue((path, bytes));
            _pending += bytes;
            while (_completed.Count > 1 && _pending - _completed.Peek().Bytes >= Lag)
            {
                var (oldest, length) = _completed.Dequeue();
                _pending -= length;
                (due ??= []).Add(oldest);
            }
        }

        foreach (var file in due ?? [])
        {
            PageCache.DropFile(file, waitForWriteback: false);
        }
    }

    /// <summary>At the end of the restore's writes: the files not let go of yet are written out, waited for, and let go.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            while (_completed.TryDequeue(out var file))
            {
                PageCache.DropFile(file.Path, waitForWriteback: true);
            }

            _pending = 0;
        }
    }
}
