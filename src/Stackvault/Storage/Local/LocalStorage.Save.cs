using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using Stackvault.Errors;
using Stackvault.Platform;

namespace Stackvault.Storage.Local;

/// <summary>The write path of <see cref="LocalStorage"/>: temp file, fsync, publish without overwriting.</summary>
public sealed partial class LocalStorage
{
    private const uint ReadOnlyMode = 0x124; // 0444

    private int _linkUnsupported;

    public async ValueTask SaveAsync(ObjectHandle handle, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(handle);
        var directory = Path.GetDirectoryName(path)!;
        var temp = TempPath(directory);
        try
        {
            using (var file = CreateTemp(temp, directory))
            {
                await RandomAccess.WriteAsync(file, data, 0, cancellationToken).ConfigureAwait(false);
                if (_fsync)
                {
                    RandomAccess.FlushToDisk(file);
                    DropWritten(handle.Kind, file, data.Length);
                }
            }

            PublishTemp(handle, temp, path, cancellationToken);
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw DiskFull(path, e);
        }
        finally
        {
            TryDeleteTemp(temp);
        }
    }

    /// <summary>
    /// A pack, once synced, is not read again by the operation that wrote it. Past what the page cache takes without
    /// pressure (<see cref="LocalStorageOptions.LetGoOfPacksAfter"/> bytes of packs written), its pages (all clean
    /// after the fsync) are let go instead of filling the page cache with the repository (see <see cref="PageCache"/>);
    /// below it, dropping costs more than it saves (docs/benchmarks.md, "Stop 19").
    /// </summary>
    private void DropWritten(ObjectKind kind, SafeFileHandle file, long length)
    {
        if (kind == ObjectKind.Pack && Interlocked.Add(ref _packBytesWritten, length) > _letGoAfter)
        {
            PageCache.Drop(file);
        }
    }

    private static string TempPath(string directory) =>
        Path.Combine(directory, TempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));

    /// <summary>Makes a complete, synced temp file the object: read-only, linked to its name, its directory synced.</summary>
    private void PublishTemp(ObjectHandle handle, string temp, string path, CancellationToken cancellationToken)
    {
        Posix.Chmod(temp, ReadOnlyMode);
        cancellationToken.ThrowIfCancellationRequested(); // last point where giving up leaves nothing behind
        Publish(handle, temp, path);
        if (_fsync)
        {
            Posix.FsyncDirectory(Path.GetDirectoryName(path)!);
        }
    }

    private SafeFileHandle CreateTemp(string temp, string directory)
    {
        try
        {
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException) when (Directory.Exists(Root))
        {
            Directory.CreateDirectory(directory); // a layout from an older version, or a directory removed by hand
            return File.OpenHandle(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (DirectoryNotFoundException)
        {
            throw new RepositoryNotFoundException(Location);
        }
    }

    /// <summary>Makes the temp file visible under the final name without ever replacing an existing object.</summary>
    private void Publish(ObjectHandle handle, string temp, string path)
    {
        if (Volatile.Read(ref _linkUnsupported) == 0)
        {
            try
            {
                Posix.Link(temp, path);
                return;
            }
            catch (PosixException e) when (e.Errno == Errno.EEXIST)
            {
                throw new ObjectExistsException(handle);
            }
            catch (PosixException e) when (e.Errno is Errno.EPERM or Errno.EOPNOTSUPP or Errno.ENOSYS or Errno.EMLINK)
            {
                Volatile.Write(ref _linkUnsupported, 1); // e.g. vfat or some FUSE filesystems: no hard links
            }
        }

        // Fallback: check, then rename. Two racing writers of one name can both pass the check; the last one wins.
        if (Path.Exists(path))
        {
            throw new ObjectExistsException(handle);
        }

        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (Path.Exists(path))
        {
            throw new ObjectExistsException(handle);
        }
    }

    private static void TryDeleteTemp(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a leftover .tmp-* file is harmless: listings ignore it
        }
    }
}
