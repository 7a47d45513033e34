using Stackvault.Progress;

namespace Stackvault.Backup;

/// <summary>
/// Live counters of a running backup. <see cref="OperationProgress.Bytes"/> counts bytes done, including unchanged
/// files reused from the parent snapshot (so the share done reaches 100 %); <see cref="BytesRead"/> only what was read.
/// </summary>
public sealed class BackupProgress : OperationProgress
{
    private long _read;

    /// <summary>Bytes read from the source and chunked.</summary>
    public long BytesRead => Interlocked.Read(ref _read);

    internal void AddRead(long bytes)
    {
        Interlocked.Add(ref _read, bytes);
        AddBytes(bytes);
    }
}
