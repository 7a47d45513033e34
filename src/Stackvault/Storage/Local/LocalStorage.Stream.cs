using Microsoft.Win32.SafeHandles;
using Stackvault.Errors;
using Stackvault.Platform;

namespace Stackvault.Storage.Local;

/// <summary>
/// Streaming writes of <see cref="LocalStorage"/>: the object grows in a <c>.tmp-*</c> file in its kind's directory
/// (<c>data/</c> for packs, whose <c>xx/</c> subdirectory depends on the name), and is published like
/// <see cref="SaveAsync"/> publishes: fsync, read-only, link(2) to the final name, fsync of that directory.
/// </summary>
public sealed partial class LocalStorage
{
    public bool StreamsObjects => true;

    public IObjectWriter StartObject(ObjectKind kind)
    {
        if (kind == ObjectKind.Config)
        {
            throw new ArgumentException("the config object has a fixed name and is saved whole", nameof(kind));
        }

        var kindDirectory = Path.GetDirectoryName(PathOf(new ObjectHandle(kind, "00")))!;
        var directory = kind == ObjectKind.Pack ? Path.GetDirectoryName(kindDirectory)! : kindDirectory;
        var temp = TempPath(directory);
        return new LocalObjectWriter(this, temp, CreateTemp(temp, directory));
    }

    private static StackvaultException DiskFull(string path, IOException e) => new($"disk full while writing {path}", e);

    private static bool IsDiskFull(IOException e) => Errno.Is(e, Errno.ENOSPC) || Errno.Is(e, Errno.EDQUOT);

    private sealed class LocalObjectWriter(LocalStorage storage, string temp, SafeFileHandle file) : IObjectWriter
    {
        private bool _closed;
        private long _length;

        public long Length => Interlocked.Read(ref _length);

        public void WriteAt(long offset, ReadOnlySpan<byte> data)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            try
            {
                RandomAccess.Write(file, data, offset);
            }
            catch (IOException e) when (IsDiskFull(e))
            {
                throw DiskFull(temp, e);
            }

            var end = offset + data.Length;
            for (var seen = Length; seen < end; seen = Interlocked.Read(ref _length))
            {
                if (Interlocked.CompareExchange(ref _length, end, seen) == seen)
                {
                    break;
                }
            }
        }

        public ValueTask PublishAsync(ObjectHandle handle, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            cancellationToken.ThrowIfCancellationRequested();
            var path = storage.PathOf(handle);
            try
            {
                if (storage._fsync)
                {
                    RandomAccess.FlushToDisk(file);
                    storage.DropWritten(handle.Kind, file, Length);
                }

                Close();
                storage.PublishTemp(handle, temp, path, cancellationToken);
            }
            catch (IOException e) when (IsDiskFull(e))
            {
                throw DiskFull(path, e);
            }
            finally
            {
                Dispose();
            }

            return ValueTask.CompletedTask;
        }

        public void Dispose()
        {
            Close();
            TryDeleteTemp(temp);
        }

        private void Close()
        {
            _closed = true;
            file.Dispose();
        }
    }
}
