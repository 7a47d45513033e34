using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>A pack in a reusable buffer, saved in one call (object stores take a pack in one PUT).</summary>
internal sealed class MemoryPackBuilder(IStorage storage, ContentHash hash, int capacity) : PackBuilder(storage, hash)
{
    private byte[] _buffer = new byte[capacity];

    public override ValueTask SaveAsync(ObjectHandle handle, CancellationToken cancellationToken) =>
        Storage.SaveAsync(handle, _buffer.AsMemory(0, Length), cancellationToken);

    protected override void WriteCore(ReadOnlySpan<byte> data, int offset) => data.CopyTo(_buffer.AsSpan(offset));

    protected override bool IsReady(int length) => length <= _buffer.Length;

    protected override void Prepare(int length) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length));
}
