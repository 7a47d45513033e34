using System.Buffers.Binary;
using System.Security.Cryptography;
using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>
/// One pack being filled: sealed blobs appended in order, then the sealed header and trailer (docs/design.md,
/// "Packs"). The pack's name, the SHA-256 of its bytes, is hashed as the bytes are appended. Reused pack after pack.
/// </summary>
internal abstract class PackBuilder(IStorage storage) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    /// <summary>The pack's id, set by <see cref="Finish"/>.</summary>
    public ObjectId Id { get; private set; }

    protected IStorage Storage => storage;

    /// <summary>A pack that streams to the storage when it can (a local directory), else one built in memory.</summary>
    public static PackBuilder For(IStorage storage, int capacity) =>
        storage.StreamsObjects ? new StreamingPackBuilder(storage) : new MemoryPackBuilder(storage, capacity);

    public void Append(ReadOnlySpan<byte> stored, ObjectId id, BlobType type, BlobFlags flags, int rawLength)
    {
        Entries.Add(new PackEntry(id, type, flags, (uint)Length, (uint)stored.Length, (uint)rawLength));
        Write(stored);
    }

    /// <summary>Appends <c>seal(header) || header_length</c>; the pack is then complete and has its <see cref="Id"/>.</summary>
    public void Finish(ObjectCipher cipher)
    {
        var header = PackFormat.EncodeHeader(Entries);
        var tail = new byte[header.Length + cipher.Overhead + PackFormat.TrailerSize];
        var written = cipher.Seal(header, tail);
        BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(written), (uint)written);
        Write(tail);
        Id = new ObjectId(_hash.GetHashAndReset());
    }

    /// <summary>Stores the finished pack under its name.</summary>
    public abstract ValueTask SaveAsync(ObjectHandle handle, CancellationToken cancellationToken);

    /// <summary>Empties the builder for the next pack, discarding anything not saved.</summary>
    public virtual void Reset()
    {
        Length = 0;
        Entries.Clear();
        _hash.GetHashAndReset();
    }

    public virtual void Dispose() => _hash.Dispose();

    protected abstract void WriteCore(ReadOnlySpan<byte> data, int offset);

    private void Write(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        WriteCore(data, Length);
        Length += data.Length;
    }
}
