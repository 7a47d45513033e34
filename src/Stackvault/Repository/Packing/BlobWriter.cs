using System.Threading.Channels;
using Stackvault.Compression;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository.Packing;

/// <summary>
/// Stores new blobs: hashes file chunks, deduplicates against the master index and blobs in flight, compresses and
/// seals them on worker threads, appends them to a pack, uploads full packs, and writes an index checkpoint every
/// <see cref="IndexFlushPacks"/> packs or <see cref="IndexFlushInterval"/> (whichever comes first) and at the end, so
/// a killed backup loses at most a few packs of work: the next backup deduplicates against the checkpoints. Write order: a pack is saved before any index names it.
/// Memory: one encoded blob per worker and the queued chunks; packs stream to a temporary object where the storage
/// allows it (a local directory), else at most two pack buffers (one filling, one uploading).
/// </summary>
public sealed class BlobWriter : IAsyncDisposable
{
    public const int IndexFlushPacks = 4;

    public static readonly TimeSpan IndexFlushInterval = TimeSpan.FromSeconds(10);

    private readonly Repository _repository;
    private readonly Action _beforeWrite;
    private readonly bool _dedupAgainstIndex;
    private readonly Channel<BlobRequest> _requests;
    private readonly Channel<PackBuilder> _uploads = Channel.CreateBounded<PackBuilder>(1);
    private readonly Channel<PackBuilder> _free = Channel.CreateBounded<PackBuilder>(2);
    private readonly SemaphoreSlim _packGate = new(1, 1);
    private readonly HashSet<ObjectId> _pending = [];
    private readonly CancellationTokenSource _failed = new();
    private readonly TaskCompletionSource _faulted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task[] _workers;
    private readonly Task _uploader;
    private readonly IndexFile _index = new();
    private readonly PackBuilder[] _builders;
    private PackBuilder _current;
    private Exception? _fault;
    private long _lastFlush;

    /// <param name="repository">The repository to write into.</param>
    /// <param name="beforeWrite">Called before every pack and index write (a lock check that throws when lost).</param>
    /// <param name="workers">Compression threads (0: one per core).</param>
    /// <param name="dedupAgainstIndex">False for prune's repacking, whose blobs are indexed in the packs being replaced.</param>
    public BlobWriter(Repository repository, Action beforeWrite, int workers = 0, bool dedupAgainstIndex = true)
    {
        _repository = repository;
        _beforeWrite = beforeWrite;
        _dedupAgainstIndex = dedupAgainstIndex;
        workers = workers > 0 ? workers : Environment.ProcessorCount;
        _requests = Channel.CreateBounded<BlobRequest>(workers);
        // A pack is closed before a blob would take it past PackSize, so a buffer holds at most PackSize (or one
        // largest blob) plus the header.
        var capacity = Math.Max(repository.Config.PackSize, repository.Blobs.MaxEncodedLength(repository.Config.ChunkMaxSize)) + (1 << 18);
        _builders = [PackBuilder.For(repository.Storage, repository.Hash, capacity), PackBuilder.For(repository.Storage, repository.Hash, capacity)];
        _current = _builders[0];
        _free.Writer.TryWrite(_builders[1]);
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
        _lastFlush = repository.Time.GetTimestamp();
        _uploader = Task.Run(UploadAsync);
    }

    public BlobWriterStats Stats { get; } = new();

    public List<ObjectHandle> IndexFiles { get; } = [];

    /// <summary>True when the blob is stored or on its way.</summary>
    public bool IsKnown(ObjectId id)
    {
        if (_dedupAgainstIndex && _repository.Index.Contains(id))
        {
            return true;
        }

        lock (_pending)
        {
            return _pending.Contains(id);
        }
    }

    /// <summary>
    /// Queues the blob unless it is known. Ownership of <paramref name="owner"/> passes to the writer, which
    /// disposes it once the bytes are encoded (or at once for a known blob). Returns true when the blob was new.
    /// </summary>
    public async ValueTask<bool> SaveAsync(BlobType type, ObjectId id, ReadOnlyMemory<byte> data, IDisposable? owner, CancellationToken cancellationToken)
    {
        if (!Claim(id))
        {
            owner?.Dispose();
            return false;
        }

        await EnqueueAsync(new BlobRequest(type, id, data, owner, null, 0), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Queues a data chunk whose id is not computed yet: a worker hashes it, records the id in <paramref name="ids"/>
    /// at the chunk's place, and stores the chunk unless it is known or already claimed by another worker (identical
    /// chunks in flight are stored once). Ownership of <paramref name="owner"/> passes to the writer.
    /// </summary>
    public ValueTask SaveChunkAsync(ReadOnlyMemory<byte> data, IDisposable? owner, ChunkIds ids, CancellationToken cancellationToken) =>
        EnqueueAsync(new BlobRequest(BlobType.Data, default, data, owner, ids, ids.Next()), cancellationToken);

    /// <summary>Seals <paramref name="ids"/> and waits until every chunk queued with it has its id.</summary>
    public async ValueTask<List<ObjectId>> HashedAsync(ChunkIds ids, CancellationToken cancellationToken)
    {
        ids.Seal();
        var first = await Task.WhenAny(ids.Completion, _faulted.Task).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (first != ids.Completion)
        {
            throw Rethrow();
        }

        return ids.Ids;
    }

    /// <summary>Stores everything queued, the last partial pack and the last index file.</summary>
    public async ValueTask CompleteAsync()
    {
        _requests.Writer.TryComplete();
        await Task.WhenAll(_workers).ConfigureAwait(false);
        if (_fault is null && _current.Entries.Count > 0)
        {
            await _current.FinishAsync(_repository.Blobs.Cipher).ConfigureAwait(false);
            await _uploads.Writer.WriteAsync(_current).ConfigureAwait(false);
        }

        _uploads.Writer.TryComplete();
        await _uploader.ConfigureAwait(false);
        if (_fault is null && _index.Packs.Count > 0)
        {
            await FlushIndexAsync().ConfigureAwait(false);
        }

        if (_fault is not null)
        {
            throw Rethrow();
        }
    }

    /// <summary>Claims a blob for storing: false when it is indexed or another request already claimed it.</summary>
    private bool Claim(ObjectId id)
    {
        lock (_pending)
        {
            return !(_dedupAgainstIndex && _repository.Index.Contains(id)) && _pending.Add(id);
        }
    }

    private async ValueTask EnqueueAsync(BlobRequest request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _failed.Token);
        try
        {
            await _requests.Writer.WriteAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            request.Owner?.Dispose();
            if (_fault is not null)
            {
                throw Rethrow();
            }

            throw;
        }
    }

    private async Task WorkAsync()
    {
        using var compressor = new ZstdCompressor(_repository.Blobs.CompressionLevel);
        var scratch = Array.Empty<byte>();
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(_failed.Token).ConfigureAwait(false))
            {
                var id = request.Id;
                if (request.Ids is { } ids)
                {
                    id = _repository.Blobs.Hasher.ComputeId(request.Data.Span);
                    ids.Set(request.Slot, id);
                    if (!Claim(id))
                    {
                        request.Owner?.Dispose();
                        continue;
                    }
                }

                var bound = _repository.Blobs.MaxEncodedLength(request.Data.Length);
                if (scratch.Length < bound)
                {
                    // Made once for the largest chunk, not grown chunk by chunk: each outgrown array would stay in the
                    // large-object heap until a gen-2 collection, which a long backup seldom runs, so the garbage and the
                    // peak RSS grew with the data (docs/benchmarks.md, "Memory curve, stop 18"). Only an oversized tree
                    // blob grows it further. Pages never written are never touched, so small backups do not pay for it.
                    scratch = new byte[Math.Max(bound, _repository.Blobs.MaxEncodedLength(_repository.Config.ChunkMaxSize))];
                }

                var length = _repository.Blobs.Encode(request.Data.Span, compressor, scratch, out var flags);
                request.Owner?.Dispose();
                await AppendAsync(request with { Id = id }, scratch.AsMemory(0, length), flags).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>
    /// Appends the stored blob to the current pack: the offset is reserved under the pack gate, the bytes are written
    /// after it, so workers write their blobs side by side. Hands a full pack to the uploader once its writes are in.
    /// </summary>
    private async Task AppendAsync(BlobRequest request, ReadOnlyMemory<byte> stored, BlobFlags flags)
    {
        PackBuilder? full = null;
        PackBuilder pack;
        int offset;
        await _packGate.WaitAsync(_failed.Token).ConfigureAwait(false);
        try
        {
            if (_current.Entries.Count > 0 && _current.Length + stored.Length > _repository.Config.PackSize)
            {
                full = _current;
                _current = await _free.Reader.ReadAsync(_failed.Token).ConfigureAwait(false);
            }

            pack = _current;
            offset = pack.Reserve(stored.Span, request.Id, request.Type, flags, request.Data.Length);
        }
        finally
        {
            _packGate.Release();
        }

        pack.WriteReserved(stored.Span, offset);
        Stats.AddBlob(request.Type, request.Data.Length, stored.Length);
        if (full is not null)
        {
            await full.FinishAsync(_repository.Blobs.Cipher).ConfigureAwait(false);
            await _uploads.Writer.WriteAsync(full, _failed.Token).ConfigureAwait(false);
        }
    }

    private async Task UploadAsync()
    {
        try
        {
            await foreach (var pack in _uploads.Reader.ReadAllAsync(_failed.Token).ConfigureAwait(false))
            {
                _beforeWrite();
                var packId = pack.Id;
                try
                {
                    await pack.SaveAsync(ObjectNames.For(ObjectKind.Pack, packId), _failed.Token).ConfigureAwait(false);
                }
                catch (ObjectExistsException)
                {
                    // Same name, same bytes: content addressing makes this pack present already.
                }

                _repository.Index.AddPack(packId, pack.Entries);
                lock (_pending)
                {
                    pack.Entries.ForEach(e => _pending.Remove(e.Id));
                }

                _index.Packs.Add((packId, [.. pack.Entries]));
                Stats.AddPack();
                if (_index.Packs.Count >= IndexFlushPacks || _repository.Time.GetElapsedTime(_lastFlush) >= IndexFlushInterval)
                {
                    await FlushIndexAsync().ConfigureAwait(false);
                }

                pack.Reset();
                _free.Writer.TryWrite(pack);
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task FlushIndexAsync()
    {
        _beforeWrite();
        IndexFiles.Add(await _repository.SaveIndexFileAsync(_index, CancellationToken.None).ConfigureAwait(false));
        _index.Packs.Clear();
        _lastFlush = _repository.Time.GetTimestamp();
    }

    private void Fail(Exception e)
    {
        if (e is OperationCanceledException && _fault is not null)
        {
            return;
        }

        Interlocked.CompareExchange(ref _fault, e, null);
        _faulted.TrySetResult();
        _failed.Cancel();
    }

    private Exception Rethrow() => _fault is StackvaultException or OperationCanceledException
        ? _fault
        : new StackvaultException("storing data failed: " + _fault!.Message, _fault);

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        _failed.Cancel();
        await Task.WhenAll([.. _workers, _uploader]).ConfigureAwait(false);
        while (_requests.Reader.TryRead(out var request))
        {
            request.Owner?.Dispose();
        }

        foreach (var builder in _builders)
        {
            builder.Dispose(); // discards a pack that was never saved (its temporary object, if any)
        }

        _failed.Dispose();
        _packGate.Dispose();
    }

    /// <param name="Ids">Set for a chunk the worker hashes (its id goes to <c>Ids[Slot]</c>); null when <c>Id</c> is known.</param>
    private readonly record struct BlobRequest(BlobType Type, ObjectId Id, ReadOnlyMemory<byte> Data, IDisposable? Owner, ChunkIds? Ids, int Slot);
}
