using System.Collections.Concurrent;
using Stackvault.Filtering;
using Stackvault.Platform;

namespace Stackvault.Backup;

/// <summary>
/// Lists and lstat()s the source directories ahead of the backup's walk, on a thread of its own, so that work (cold,
/// the disk reads of the inodes) overlaps what comes before the walk: the key derivation, the lock, the index.
/// It goes depth-first in the walk's order (names sorted ordinally) and keeps each directory's listing until the walk
/// takes it; it stops when the walk finds a directory it has not listed yet (the walk caught up), when it holds
/// <see cref="MaxHeldEntries"/> entries not taken yet (bounded memory, whatever the tree), or when disposed.
/// Only successes are kept: a directory or an entry it could not read is left to the walk, which reports it as before.
/// </summary>
public sealed class SourcePrescan : IDisposable
{
    /// <summary>Entries listed but not taken by the walk, at most (about 150 bytes each).</summary>
    public const int MaxHeldEntries = 50_000;

    /// <summary>
    /// File bytes, in the walk's order, that the prescan asks the kernel to read ahead while the repository opens, when
    /// the backup will read every file (no parent snapshot can exist); none once the walk has started, when the
    /// walk's own read-ahead (<see cref="SourceReadAhead"/>) takes over.
    /// </summary>
    public const long StartupReadAheadBytes = 256L << 20;

    private readonly ConcurrentDictionary<string, Listing> _listings = new(StringComparer.Ordinal);
    private readonly PathFilter _filter;
    private readonly Func<bool>? _readsEverything;
    private readonly Thread _thread;
    private volatile bool _stopped;
    private volatile bool _walking;
    private int _held;
    private long _readAhead;

    private SourcePrescan(IReadOnlyList<string> roots, PathFilter filter, Func<bool>? readsEverything)
    {
        _filter = filter;
        _readsEverything = readsEverything;
        _thread = new Thread(() => Run(roots)) { IsBackground = true, Name = "source prescan" };
    }

    /// <summary>One directory's entries, sorted ordinally; <see cref="Statuses"/>[i] is null where lstat failed.</summary>
    public sealed record Listing(string[] Names, FileStatus?[] Statuses);

    /// <summary>
    /// Starts listing the real directories of <paramref name="paths"/> (as <c>backup PATH...</c> names them). When
    /// <paramref name="readsEverything"/> (called once, on the prescan's thread) says the backup will read every file
    /// (a first backup into the repository, or --force), the first <see cref="StartupReadAheadBytes"/> of files are
    /// also asked of the kernel while the repository opens, with the disk otherwise idle; a backup with a parent reads
    /// only what changed, which is known only once the key is derived and the parent read.
    /// </summary>
    public static SourcePrescan Start(IEnumerable<string> paths, IEnumerable<string> excludes, Func<bool>? readsEverything = null)
    {
        var roots = paths.Select(p => BackupSource.ForPath(p).RealPath!).Order(StringComparer.Ordinal).ToList();
        var prescan = new SourcePrescan(roots, new PathFilter(null, excludes), readsEverything);
        prescan._thread.Start();
        return prescan;
    }

    /// <summary>The listing of <paramref name="directory"/>, or null (then the walk lists it, and the prescan stops).</summary>
    public Listing? Take(string directory)
    {
        _walking = true;
        if (_listings.TryRemove(directory, out var listing))
        {
            Interlocked.Add(ref _held, -listing.Names.Length);
            return listing;
        }

        _stopped = true;
        return null;
    }

    /// <summary>File bytes the prescan asked the kernel to read ahead (tests).</summary>
    internal long ReadAheadBytes => Interlocked.Read(ref _readAhead);

    /// <summary>True once the prescan's thread has ended (tests wait for it).</summary>
    internal bool IsDone => !_thread.IsAlive;

    public void Dispose()
    {
        _stopped = true;
        _listings.Clear();
    }

    private void Run(IReadOnlyList<string> roots)
    {
        var readAhead = ReadsEverything();
        var pending = new Stack<(string Path, bool Root)>();
        foreach (var root in roots.Reverse())
        {
            pending.Push((root, true));
        }

        while (pending.Count > 0 && !_stopped && Volatile.Read(ref _held) < MaxHeldEntries)
        {
            var (directory, root) = pending.Pop();
            string[] names;
            try
            {
                if (root && (Posix.LStat(directory).Mode & NodeFactory.TypeMask) != NodeFactory.TypeDirectory)
                {
                    continue;
                }

                names = [.. Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            var statuses = new FileStatus?[names.Length];
            var subdirectories = new List<string>();
            for (var i = 0; i < names.Length && !_stopped; i++)
            {
                var child = directory + "/" + names[i];
                if (_filter.IsExcluded(child))
                {
                    continue;
                }

                try
                {
                    var status = Posix.LStat(child);
                    statuses[i] = status;
                    if ((status.Mode & NodeFactory.TypeMask) == NodeFactory.TypeDirectory)
                    {
                        subdirectories.Add(child);
                    }
                    else if (readAhead && status.IsRegularFile && status.Size > 0 && !_walking && _readAhead < StartupReadAheadBytes)
                    {
                        var length = Math.Min(status.Size, StartupReadAheadBytes - _readAhead);
                        if (PageCache.ReadAhead(child, length) is not null)
                        {
                            Interlocked.Add(ref _readAhead, length);
                        }
                    }
                }
                catch (IOException)
                {
                }
            }

            Interlocked.Add(ref _held, names.Length);
            _listings[directory] = new Listing(names, statuses);
            for (var i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push((subdirectories[i], false));
            }
        }
    }

    private bool ReadsEverything()
    {
        try
        {
            return _readsEverything?.Invoke() ?? false;
        }
        catch (Exception)
        {
            return false; // only a hint: the backup reads as it would have
        }
    }
}
