using System.Buffers.Binary;
using Stackvault.Crypto;
using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>
/// One pack being filled: sealed blobs appended in order, then the sealed header and trailer (docs/design.md,
/// "Packs"). The pack's name, the hash of its bytes (the repository's <see cref="ContentHash"/>), is hashed as the bytes are appended. Reused pack after pack.
/// A blob is appended in two steps: <see cref="Reserve"/> (under the caller's pack gate: entry, pack hash, offset) and
/// <see cref="WriteReserved"/> (outside it, so several workers copy or write their blobs at once);
/// <see cref="FinishAsync"/> waits for every reserved write before it seals the pack.
/// </summary>
internal abstract class PackBuilder(IStorage storage, ContentHash hash) : IDisposable
{
    private readonly ContentHash.Incremental _hash = hash.CreateIncremental();
    private readonly Lock _writes = new();
    private int _inFlight;
    /// <summary>The first reserved write that failed: the pack has a hole, and its finish names this cause.</summary>
    private Exception? _broken;
    private TaskCompletionSource? _drained;

    public int Length { get; private set; }

    public List<PackEntry> Entries { get; } = [];

    /// <summary>The pack's id, set by <see cref="Finish"/>.</summary>
    public ObjectId Id { get; private set; }

    protected IStorage Storage => storage;

    /// <summary>A pack that streams to the storage when it can (a local directory), else one built in memory.</summary>
    public static PackBuilder For(IStorage storage, ContentHash hash, int capacity) =>
        storage.StreamsObjects ? new StreamingPackBuilder(storage, hash) : new MemoryPackBuilder(storage, hash, capacity);

    /// <summary>
    /// Adds the blob's entry, hashes its bytes into the pack's name and returns the offset reserved for them. Calls
    /// must be serialized (the blob writer's pack gate); the bytes are written by <see cref="WriteReserved"/>.
    /// </summary>
    public int Reserve(ReadOnlySpan<byte> stored, ObjectId id, BlobType type, BlobFlags flags, int rawLength)
    {
        var offset = Length;
        if (!IsReady(offset + stored.Length))
        {
            // Growing a buffer moves its bytes: only with no write in flight (none can start, the caller holds the gate).
            SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0);
            Prepare(offset + stored.Length);
        }

        Entries.Add(new PackEntry(id, type, flags, (uint)offset, (uint)stored.Length, (uint)rawLength));
        _hash.Append(stored);
        Length = offset + stored.Length;
        lock (_writes)
        {
            _inFlight++;
        }

        return offset;
    }

    /// <summary>Writes a reserved blob's bytes; safe to call from several threads for different reservations.</summary>
    public void WriteReserved(ReadOnlySpan<byte> stored, int offset)
    {
        Exception? failure = null;
        try
        {
            WriteCore(stored, offset);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            lock (_writes)
            {
                _broken ??= failure;
                if (--_inFlight == 0)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    /// <summary>
    /// Waits for the reserved writes, then appends <c>seal(header) || header_length</c>; the pack is then complete
    /// and has its <see cref="Id"/>. Throws if a reserved write failed (the pack has a hole and is never saved).
    /// </summary>
    public async ValueTask FinishAsync(ObjectCipher cipher)
    {
        Task drained;
        lock (_writes)
        {
            drained = _inFlight == 0 ? Task.CompletedTask : (_drained = new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        await drained.ConfigureAwait(false);
        if (_broken is { } broken)
        {
            // Another worker's write failed: whichever error reaches the writer first, it names the cause.
            throw new InvalidOperationException($"a blob of the pack was not written ({broken.Message}); the pack is discarded", broken);
        }

        var header = PackFormat.EncodeHeader(Entries);
        var tail = new byte[header.Length + cipher.Overhead + PackFormat.TrailerSize];
        var written = cipher.Seal(header, tail);
        BinaryPrimitives.WriteUInt32LittleEndian(tail.AsSpan(written), (uint)written);
        Write(tail);
        Id = _hash.GetHashAndReset();
    }

    /// <summary>Stores the finished pack under its name.</summary>
    public abstract ValueTask SaveAsync(ObjectHandle handle, CancellationToken cancellationToken);

    /// <summary>Empties the builder for the next pack, discarding anything not saved.</summary>
    public virtual void Reset()
    {
        Length = 0;
        Entries.Clear();
        _hash.GetHashAndReset();
        _broken = null;
        _drained = null;
    }

    public virtual void Dispose() => _hash.Dispose();

    /// <summary>Writes at the offset; called concurrently for disjoint ranges.</summary>
    protected abstract void WriteCore(ReadOnlySpan<byte> data, int offset);

    /// <summary>True when bytes up to <paramref name="length"/> can be written without <see cref="Prepare"/>.</summary>
    protected abstract bool IsReady(int length);

    /// <summary>Makes the builder ready for bytes up to <paramref name="length"/>; called with no write in flight.</summary>
    protected abstract void Prepare(int length);

    private void Write(ReadOnlySpan<byte> data)
    {
        if (!IsReady(Length + data.Length))
        {
            Prepare(Length + data.Length);
        }

        _hash.Append(data);
        WriteCore(data, Length);
        Length += data.Length;
    }
}
