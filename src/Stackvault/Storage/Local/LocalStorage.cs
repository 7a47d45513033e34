using Microsoft.Win32.SafeHandles;
using Stackvault.Errors;
using Stackvault.Platform;

namespace Stackvault.Storage.Local;

/// <summary>
/// A repository in a local directory: <c>config</c>, <c>keys/</c>, <c>data/00/</c>..<c>data/ff/</c>, <c>index/</c>,
/// <c>snapshots/</c>, <c>locks/</c>. Objects are written to <c>.tmp-*</c> files, fsynced, published without
/// overwriting (link(2), or a checked rename where hard links are unsupported) and left read-only (0444).
/// </summary>
public sealed partial class LocalStorage : IStorage
{
    internal const string TempPrefix = ".tmp-";
    private static readonly string[] KindDirectories = ["keys", "data", "index", "snapshots", "locks"];

    private readonly bool _fsync;
    private readonly long _letGoAfter;
    private long _coldPackBytesRead;
    private long _packBytesWritten;

    public LocalStorage(LocalStorageOptions options, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Root = options.Validate();
        _fsync = options.Fsync;
        _letGoAfter = options.LetGoOfPacksAfter ?? PageCache.AbsorbableBytes;
        Location = location ?? options.Root;
    }

    public string Location { get; }

    /// <summary>The absolute repository directory.</summary>
    public string Root { get; }

    public ValueTask<bool> RepositoryExistsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(File.Exists(PathOf(ObjectHandle.Config)));
    }

    public ValueTask CreateLayoutAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(Root))
        {
            Directory.CreateDirectory(Root);
            Posix.Chmod(Root, 0x1C0); // 0700: only the owner reads a repository
        }

        foreach (var name in KindDirectories)
        {
            Directory.CreateDirectory(Path.Combine(Root, name));
        }

        for (var i = 0; i < 256; i++)
        {
            Directory.CreateDirectory(Path.Combine(Root, "data", i.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (_fsync)
        {
            Posix.FsyncDirectory(Path.Combine(Root, "data"));
            Posix.FsyncDirectory(Root);
            Posix.FsyncDirectory(Path.GetDirectoryName(Root)!);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<byte[]> ReadAllAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var file = OpenRead(handle);
        var length = RandomAccess.GetLength(file);
        if (length > Array.MaxLength)
        {
            throw new CorruptObjectException(handle, $"object has {length} bytes, too many to read at once");
        }

        var buffer = GC.AllocateUninitializedArray<byte>((int)length);
        var cold = IsReadOnce(handle, file, 0, length);
        var read = await ReadFullyAsync(file, 0, buffer, cancellationToken).ConfigureAwait(false);
        if (read != length || RandomAccess.GetLength(file) != length)
        {
            throw new CorruptObjectException(handle, $"object changed size while being read ({length} bytes, read {read})");
        }

        if (cold)
        {
            PageCache.Drop(file);
        }

        return buffer;
    }

    public async ValueTask ReadAtAsync(ObjectHandle handle, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        cancellationToken.ThrowIfCancellationRequested();
        using var file = OpenRead(handle);
        var size = RandomAccess.GetLength(file);
        var cold = IsReadOnce(handle, file, offset, buffer.Length);
        var read = offset > size ? 0 : await ReadFullyAsync(file, offset, buffer, cancellationToken).ConfigureAwait(false);
        if (read < buffer.Length || offset > size)
        {
            throw new CorruptObjectException(handle, $"truncated: wanted {buffer.Length} bytes at offset {offset}, object has {size} bytes");
        }

        if (cold)
        {
            PageCache.Drop(file);
        }
    }

    /// <summary>
    /// True when the pack range about to be read is to be let go of after the read. Restore, verify, copy and prune
    /// read a pack's ranges once, and left to itself the kernel keeps every page read; up to what the page cache takes
    /// without pressure (<see cref="LocalStorageOptions.LetGoOfPacksAfter"/>) that costs nothing and the reads
    /// keep the kernel's read-ahead. Past it, each pack is read without read-ahead (so a range's pages cached after
    /// its read are that read's or were there before) and, when the range was not all cached before, all the pack's
    /// clean pages are let go after the read (dropping just the range leaves much behind: the kernel caches in folios
    /// of up to megabytes, a folio across the range's edge stays, and ranges are read side by side). A range found
    /// wholly cached leaves the pack so. Measured both ways at 1 and 5 GB: docs/benchmarks.md ("Stop 19"). Other
    /// objects (indexes, snapshots, keys) are small and read again: left to the kernel.
    /// </summary>
    private bool IsReadOnce(ObjectHandle handle, SafeFileHandle file, long offset, long length)
    {
        if (handle.Kind != ObjectKind.Pack || length == 0)
        {
            return false;
        }

        if (Interlocked.Read(ref _coldPackBytesRead) < _letGoAfter)
        {
            if (PageCache.IsNotAllCached(file, offset, length))
            {
                Interlocked.Add(ref _coldPackBytesRead, length);
            }

            return false;
        }

        PageCache.ReadsAtRandom(file);
        return PageCache.IsNotAllCached(file, offset, length);
    }

    public ValueTask<long?> StatAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var info = new FileInfo(PathOf(handle));
        return ValueTask.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public ValueTask DeleteAsync(ObjectHandle handle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            File.Delete(PathOf(handle)); // read-only objects unlink fine: only the directory's mode matters
        }
        catch (DirectoryNotFoundException)
        {
            // the whole kind directory is gone, so is the object
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The absolute path of the object; rejects names that are not lower-case hex (no path tricks).</summary>
    internal string PathOf(ObjectHandle handle)
    {
        if (handle.Kind == ObjectKind.Config ? handle.Name.Length != 0 : !IsObjectName(handle.Name))
        {
            throw new ArgumentException($"invalid object name '{handle.Name}' for {handle.Kind}: expected lower-case hex", nameof(handle));
        }

        return Path.Combine(Root, handle.RelativePath);
    }

    internal static bool IsObjectName(string name) =>
        name.Length is >= 2 and <= 128 && name.AsSpan().IndexOfAnyExcept("0123456789abcdef") < 0;

    private SafeFileHandle OpenRead(ObjectHandle handle)
    {
        try
        {
            return File.OpenHandle(PathOf(handle), FileMode.Open, FileAccess.Read, FileShare.Read);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(handle);
        }
    }

    private static async ValueTask<int> ReadFullyAsync(SafeFileHandle file, long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await RandomAccess.ReadAsync(file, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}
