namespace Stackvault.Repository.Packing;

/// <summary>What a <see cref="BlobWriter"/> stored.</summary>
public sealed class BlobWriterStats
{
    private long _dataBlobs;
    private long _treeBlobs;
    private long _rawBytes;
    private long _storedBytes;
    private long _packs;

    public long DataBlobs => Interlocked.Read(ref _dataBlobs);

    public long TreeBlobs => Interlocked.Read(ref _treeBlobs);

    public long RawBytes => Interlocked.Read(ref _rawBytes);

    public long StoredBytes => Interlocked.Read(ref _storedBytes);

    public long Packs => Interlocked.Read(ref _packs);

    internal void AddBlob(BlobType type, long raw, long stored)
    {
        Interlocked.Increment(ref type == BlobType.Data ? ref _dataBlobs : ref _treeBlobs);
        Interlocked.Add(ref _rawBytes, raw);
        Interlocked.Add(ref _storedBytes, stored);
    }

    internal void AddPack() => Interlocked.Increment(ref _packs);
}
