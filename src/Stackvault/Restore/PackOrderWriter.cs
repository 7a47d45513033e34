using Microsoft.Win32.SafeHandles;
using Stackvault.Buffers;
using Stackvault.Errors;
using Stackvault.Platform;
using Stackvault.Progress;
using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Restore;

/// <summary>
/// Writes the content of many files in the order of the packs that hold it, not file by file: every needed byte
/// range of a pack is read once, with one read per run of needed blobs (<see cref="RestoreLimits.RangeGap"/>,
/// <see cref="RestoreLimits.RangeBytes"/>), and each blob read is decoded once and written at every offset of every
/// file that holds it. Ranges are read and decoded <c>concurrency + 2</c> at a time, so reading one overlaps decoding
/// others. Files are created at their final length (sparse: all-zero segments are skipped) and opened only while
/// they still have blobs to come. A blob that cannot be read or decoded (missing, truncated or corrupt pack, blob
/// missing from the index) damages only the files that hold it: they are reported and deleted, everything else is
/// written; a range cut short by a truncated pack is read again blob by blob, so the blobs before the cut are kept.
/// Errors writing the target (disk full, permissions) end the restore.
/// </summary>
internal sealed class PackOrderWriter(Repository.Repository repository, int concurrency, OperationProgress progress, long bytesInFlight = RestoreLimits.BytesInFlight, long? writeBehindAbove = null)
{
    private const int MaxOpenFiles = 256;

    /// <summary>
    /// Writing behind (<see cref="WriteBehind"/>) for a restore that writes more than <c>writeBehindAbove</c> bytes
    /// (by default what the page cache takes without pressure, <see cref="PageCache.AbsorbableBytes"/>), from its
    /// first byte; null for a smaller one, whose writes the kernel absorbs and writes out on its own: there, starting
    /// each chunk's writeback and waiting for the last files' cost a 1 GB restore about a tenth of a second and saved
    /// nothing (docs/benchmarks.md, stop 20).
    /// </summary>
    private WriteBehind? _writeBehind;

    private int _open;

    /// <summary>A range whose stored bytes and largest blob each fit in this uses a small buffer set.</summary>
    private const int SmallBuffer = 1 << 20;

    /// <summary>
    /// One read buffer and one plaintext buffer per range in flight, reused (no pool churn, no LOH garbage; blobs
    /// are decrypted in place in the read buffer). Sets come in two sizes: small (1 MiB each) and large (the largest
    /// range and the largest blob of this restore). A range takes its set's bytes from <see cref="_budget"/> first,
    /// so at most <see cref="RestoreLimits.BytesInFlight"/> bytes of sets are in use, and no more large sets exist
    /// than fit in it at once.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<WorkBuffers> _small = [];

    private readonly System.Collections.Concurrent.ConcurrentBag<WorkBuffers> _large = [];

    private ByteBudget _budget = null!;

    private (int Stored, int Raw) _largeSize;

    private sealed class WorkBuffers(int stored, int raw)
    {
        public byte[] Stored { get; } = GC.AllocateUninitializedArray<byte>(stored);

        public byte[] Raw { get; } = GC.AllocateUninitializedArray<byte>(raw);
    }

    private static int RoundUp(long length) => (int)Math.Min(Array.MaxLength, (Math.Max(1, length) + 0xFFFFF) & ~0xFFFFFL);

    private static bool IsSmall(ReadRange range) => range.Length <= SmallBuffer && range.Blobs.Max(b => b.Location.RawLength) <= SmallBuffer;


    /// <summary>Files whose content adds up to another length than the snapshot recorded (warned about, not damage).</summary>
    public List<string> LengthMismatches { get; } = [];

    private sealed class FileState(string path, string shown, Node node)
    {
        public string Path { get; } = path;

        public string Shown { get; } = shown;

        public Node Node { get; } = node;

        public long Length { get; set; }

        public int Remaining;

        /// <summary>Bytes written since the file's clean pages were last let go of (under <see cref="WriteGate"/>; <see cref="Restore.WriteBehind"/>).</summary>
        public long WrittenSinceDrop;

        public int Users { get; set; }

        public bool Created { get; set; }

        /// <summary>
        /// Held while one worker writes into this file. The kernel writes a file one writer at a time anyway (ext4 and
        /// xfs buffered writes take the inode lock exclusively), and waiters on that lock spin on a CPU; waiting here
        /// sleeps instead, leaving the core to the workers that decode. Profiled at 5 GB: see docs/benchmarks.md.
        /// </summary>
        public object WriteGate { get; } = new();

        public SafeFileHandle? Handle { get; set; }

        public volatile string? Damage;
    }

    private readonly record struct Target(FileState File, long Offset);

    private sealed record Blob(BlobLocation Location, List<Target> Targets);

    private sealed record ReadRange(int PackIndex, long Offset, int Length, List<Blob> Blobs);

    /// <summary>Writes the files (staging path, path shown in messages, node); returns the damaged ones with the reason.</summary>
    public async ValueTask<IReadOnlyList<(string Path, string Reason)>> WriteAsync(IReadOnlyList<(string Path, string Shown, Node Node)> files, CancellationToken cancellationToken)
    {
        var states = new List<FileState>(files.Count);
        var byPack = new Dictionary<int, Dictionary<uint, Blob>>();
        var packOrder = new List<int>();
        foreach (var (path, shown, node) in files)
        {
            var state = new FileState(path, shown, node);
            states.Add(state);
            long offset = 0;
            var targets = new List<(BlobLocation, long)>();
            foreach (var id in node.Content ?? [])
            {
                if (!repository.Index.TryGet(id, out var location) || location.Type != BlobType.Data)
                {
                    state.Damage = $"data blob {id} is not in any index (lost or never written)";
                    break;
                }

                targets.Add((location, offset));
                offset += location.RawLength;
            }

            state.Length = offset;
            if (state.Damage is not null)
            {
                continue;
            }

            if (offset != node.Size)
            {
                LengthMismatches.Add($"{shown}: content adds up to {offset} bytes, the snapshot recorded {node.Size}");
            }

            state.Remaining = targets.Count;
            foreach (var (location, at) in targets)
            {
                if (!byPack.TryGetValue(location.PackIndex, out var blobs))
                {
                    byPack[location.PackIndex] = blobs = [];
                    packOrder.Add(location.PackIndex);
                }

                if (!blobs.TryGetValue(location.Offset, out var blob))
                {
                    blobs[location.Offset] = blob = new Blob(location, []);
                }

                blob.Targets.Add(new Target(state, at));
            }

            if (targets.Count == 0)
            {
                Acquire(state);
                Release(state);
                progress.AddFile();
            }
        }

        _writeBehind = states.Sum(s => s.Length) > (writeBehindAbove ?? PageCache.AbsorbableBytes) ? new WriteBehind() : null;
        var ranges = packOrder.SelectMany(p => Ranges(p, byPack[p].Values.OrderBy(b => b.Location.Offset))).ToList();
        var large = ranges.Where(r => !IsSmall(r)).ToList();
        _largeSize = large.Count == 0 ? (SmallBuffer, SmallBuffer) : (RoundUp(large.Max(r => r.Length)), RoundUp(large.Max(r => r.Blobs.Max(b => b.Location.RawLength))));
        using var budget = _budget = new ByteBudget(Math.Max(bytesInFlight, (long)_largeSize.Stored + _largeSize.Raw));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency + 2, CancellationToken = cancellationToken };
        try
        {
            await Parallel.ForEachAsync(ranges, parallel, async (range, ct) => await RestoreRangeAsync(range, ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var state in states.Where(s => s.Handle is not null))
            {
                state.Handle!.Dispose();
                state.Handle = null;
            }
        }

        _writeBehind?.Finish();

        var damaged = new List<(string, string)>();
        foreach (var state in states.Where(s => s.Damage is not null))
        {
            damaged.Add((state.Shown, state.Damage!));
            progress.AddError();
            if (state.Created)
            {
                File.Delete(state.Path);
            }
        }

        return damaged;
    }

    /// <summary>Runs of the pack's needed blobs (sorted by offset) that one read each fetches.</summary>
    private static IEnumerable<ReadRange> Ranges(int packIndex, IEnumerable<Blob> blobs)
    {
        ReadRange? current = null;
        foreach (var blob in blobs)
        {
            var start = (long)blob.Location.Offset;
            var end = start + blob.Location.Length;
            if (current is not null && start >= current.Offset + current.Length && start - (current.Offset + current.Length) <= RestoreLimits.RangeGap
                && end - current.Offset <= RestoreLimits.RangeBytes)
            {
                current = current with { Length = (int)(end - current.Offset) };
                current.Blobs.Add(blob);
                continue;
            }

            if (current is not null)
            {
                yield return current;
            }

            current = new ReadRange(packIndex, start, (int)blob.Location.Length, [blob]);
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    private async ValueTask RestoreRangeAsync(ReadRange range, CancellationToken cancellationToken)
    {
        if (range.Blobs.All(b => b.Targets.All(t => t.File.Damage is not null)))
        {
            return;
        }

        var pack = new ObjectHandle(ObjectKind.Pack, repository.Index.PackId(range.PackIndex).ToString());
        var small = IsSmall(range);
        var bag = small ? _small : _large;
        using var lease = await _budget.TakeAsync(small ? 2L * SmallBuffer : (long)_largeSize.Stored + _largeSize.Raw, cancellationToken).ConfigureAwait(false);
        var buffers = bag.TryTake(out var reused) ? reused : small ? new WorkBuffers(SmallBuffer, SmallBuffer) : new WorkBuffers(_largeSize.Stored, _largeSize.Raw);
        try
        {
            var stored = buffers.Stored;
            try
            {
                await repository.Storage.ReadAtAsync(pack, range.Offset, stored.AsMemory(0, range.Length), cancellationToken).ConfigureAwait(false);
            }
            catch (CorruptObjectException) when (range.Blobs.Count > 1)
            {
                // The pack is there but shorter than the range (truncated): the blobs it still holds whole are read
                // one by one and restored, and only the ones past its end damage their files.
                foreach (var blob in range.Blobs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var at = (int)(blob.Location.Offset - range.Offset);
                    var bytes = stored.AsMemory(at, (int)blob.Location.Length);
                    try
                    {
                        await repository.Storage.ReadAtAsync(pack, blob.Location.Offset, bytes, cancellationToken).ConfigureAwait(false);
                    }
                    catch (StackvaultException e)
                    {
                        MarkDamaged(blob, e.Message);
                        continue;
                    }

                    RestoreBlob(blob, pack, bytes.Span, buffers);
                }

                return;
            }
            catch (StackvaultException e)
            {
                // Missing pack, or a storage error the backend gave up on: only these blobs' files suffer.
                foreach (var blob in range.Blobs)
                {
                    MarkDamaged(blob, e.Message);
                }

                return;
            }

            foreach (var blob in range.Blobs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RestoreBlob(blob, pack, stored.AsSpan((int)(blob.Location.Offset - range.Offset), (int)blob.Location.Length), buffers);
            }
        }
        finally
        {
            bag.Add(buffers);
        }
    }

    /// <summary>Decodes (authenticates, decompresses, checks the id of) one blob and writes it wherever it belongs: synchronous pwrites on this worker, no thread hop per write.</summary>
    private void RestoreBlob(Blob blob, ObjectHandle pack, Span<byte> stored, WorkBuffers buffers)
    {
        if (blob.Targets.All(t => t.File.Damage is not null))
        {
            return;
        }

        var length = (int)blob.Location.RawLength;
        var raw = buffers.Raw.AsSpan(0, length);
        try
        {
            repository.Blobs.DecodeInPlace(stored, blob.Location, pack, raw);
        }
        catch (StackvaultException e)
        {
            MarkDamaged(blob, e.Message);
            return;
        }

        foreach (var (file, offset) in blob.Targets)
        {
            if (file.Damage is not null)
            {
                continue;
            }

            var handle = Acquire(file);
            try
            {
                lock (file.WriteGate)
                {
                    SparseWrite.Write(handle, raw, offset);
                    if (_writeBehind is not null)
                    {
                        WriteBehind.Written(handle, offset, length, ref file.WrittenSinceDrop);
                    }
                }
            }
            finally
            {
                if (Interlocked.Decrement(ref file.Remaining) == 0)
                {
                    _writeBehind?.Completed(file.Path, file.Length);
                    progress.AddFile();
                }

                Release(file);
            }

            progress.AddBytes(length);
        }
    }

    private static void MarkDamaged(Blob blob, string reason)
    {
        foreach (var target in blob.Targets)
        {
            target.File.Damage ??= reason;
        }
    }

    /// <summary>The file's handle, created (at its final length) on first use, reopened if it was closed to save handles.</summary>
    private SafeFileHandle Acquire(FileState file)
    {
        lock (file)
        {
            if (file.Handle is null)
            {
                file.Handle = File.OpenHandle(file.Path, file.Created ? FileMode.Open : FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
                if (!file.Created)
                {
                    file.Created = true;
                    RandomAccess.SetLength(file.Handle, file.Length);
                }

                Interlocked.Increment(ref _open);
            }

            file.Users++;
            return file.Handle;
        }
    }

    /// <summary>Closes the handle when the file is complete, or when too many are open (it is reopened when needed).</summary>
    private void Release(FileState file)
    {
        lock (file)
        {
            file.Users--;
            if (file.Users == 0 && file.Handle is not null && (Volatile.Read(ref file.Remaining) <= 0 || Volatile.Read(ref _open) > MaxOpenFiles))
            {
                file.Handle.Dispose();
                file.Handle = null;
                Interlocked.Decrement(ref _open);
            }
        }
    }
}
