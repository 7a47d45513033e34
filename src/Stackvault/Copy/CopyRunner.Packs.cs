using Stackvault.Buffers;
using Stackvault.Repository;
using Stackvault.Repository.Packing;
using Stackvault.Storage;

namespace Stackvault.Copy;

public sealed partial class CopyRunner
{
    /// <summary>
    /// A gap between two needed blobs of one pack up to this size is read along rather than split into two requests:
    /// from object storage, a request costs more than reading a megabyte.
    /// </summary>
    public const int MaxGap = 1 << 20;

    /// <summary>Upper bound of one read (a pack is 16 MiB by default, so a whole pack is read in two parts).</summary>
    public const int MaxRun = 16 << 20;

    /// <summary>
    /// The bytes of stored blobs read from a local (or ranged) source at once: one ring of this size (or of the
    /// source's largest stored blob, if larger) holds every read in flight, so one run of <see cref="MaxRun"/>, or
    /// many small ones.
    /// </summary>
    public const int ReadBudget = MaxRun;

    /// <summary>
    /// The bytes of decoded blobs between the source and the pack writer (read, or queued until the writer has
    /// encoded them): three 8 MiB chunks (one being decoded, two being encoded), whatever the writer's queue would take.
    /// One ring of this size (or three of the source's largest chunks) holds them all.
    /// </summary>
    public const int BlobBudget = 24 << 20;

    private readonly ByteRing _reads = new(Math.Max(ReadBudget, source.Blobs.MaxEncodedLength(source.Config.ChunkMaxSize)));

    private readonly ByteRing _blobs = new(Math.Max(BlobBudget, 3 * source.Config.ChunkMaxSize));

    /// <summary>
    /// Splits a file's needed blobs (in content order) into runs: consecutive blobs of the same pack, at increasing
    /// offsets, each starting at most <see cref="MaxGap"/> after the previous one ended, spanning at most
    /// <see cref="MaxRun"/> bytes. A file's chunks are packed in order, so a run is usually most of a pack: one ranged
    /// read instead of one per blob.
    /// </summary>
    internal static List<List<(int Index, BlobLocation Location)>> PackRuns(IReadOnlyList<(int Index, BlobLocation Location)> blobs)
    {
        var runs = new List<List<(int, BlobLocation)>>();
        List<(int Index, BlobLocation Location)>? run = null;
        foreach (var blob in blobs)
        {
            var location = blob.Location;
            if (run is { Count: > 0 } && run[0].Location is var first && run[^1].Location is var previous
                && location.PackIndex == first.PackIndex && location.Offset >= (long)previous.Offset + previous.Length
                && location.Offset - ((long)previous.Offset + previous.Length) <= MaxGap
                && (long)location.Offset + location.Length - first.Offset <= MaxRun)
            {
                run.Add(blob);
                continue;
            }

            run = [blob];
            runs.Add(run);
        }

        return runs;
    }

    /// <summary>
    /// Reads one run's byte range of its pack at once (or takes the whole pack from <see cref="_packCache"/> for a
    /// remote source), then checks, re-identifies and hands over each blob, <see cref="BlobConcurrency"/> at a time.
    /// </summary>
    private async ValueTask CopyRunAsync(List<(int Index, BlobLocation Location)> run, ObjectId[] ids, BlobWriter writer, CancellationToken cancellationToken)
    {
        var pack = new ObjectHandle(ObjectKind.Pack, source.Index.PackId(run[0].Location.PackIndex).ToString());
        var whole = _packCache is null ? null : await _packCache.GetAsync(pack, cancellationToken).ConfigureAwait(false);
        var start = whole is null ? run[0].Location.Offset : 0;
        var span = (int)((long)run[^1].Location.Offset + run[^1].Location.Length - start);
        if (whole is not null && span > whole.Length)
        {
            throw new Errors.CorruptObjectException(pack, $"truncated: the index places a blob up to byte {span}, the pack has {whole.Length}");
        }

        // a read takes its bytes from the ring (a cached pack is shared and was budgeted by the cache)
        using var readLease = whole is null ? await _reads.TakeAsync(span, cancellationToken).ConfigureAwait(false) : null;
        var stored = whole is null ? readLease!.Memory : whole.AsMemory();
        if (whole is null)
        {
            await source.Storage.ReadAtAsync(pack, start, stored, cancellationToken).ConfigureAwait(false);
        }

        // Decode (authenticate, decompress, re-identify) the run's blobs in parallel: a run is often a whole file.
        var options = new ParallelOptions { MaxDegreeOfParallelism = BlobConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(run, options, async (blob, ct) =>
        {
            var (index, location) = blob;
            var buffer = await _blobs.TakeAsync((int)location.RawLength, ct).ConfigureAwait(false);
            try
            {
                Decode(stored.Span.Slice((int)(location.Offset - start), (int)location.Length), inPlace: whole is null, location, pack, buffer.Memory.Span);

                var id = _sameIds ? location.Id : destination.Blobs.Hasher.ComputeId(buffer.Memory.Span);
                if (!await writer.SaveAsync(BlobType.Data, id, buffer.Memory, buffer, ct).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _blobsPresent);
                }

                ids[index] = id;
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>Decodes in place in a read buffer of our own (no second buffer), or from a cached pack others share.</summary>
    private void Decode(Span<byte> stored, bool inPlace, in BlobLocation location, ObjectHandle pack, Span<byte> destination)
    {
        if (inPlace)
        {
            source.Blobs.DecodeInPlace(stored, location, pack, destination);
        }
        else
        {
            source.Blobs.Decode(stored, location, pack, destination);
        }
    }
}
