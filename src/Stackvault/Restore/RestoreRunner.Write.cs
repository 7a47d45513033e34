using Microsoft.Win32.SafeHandles;
using Stackvault.Platform;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

public sealed partial class RestoreRunner
{
    private async ValueTask WriteAsync(string staging, RestorePlan plan, CancellationToken cancellationToken)
    {
        foreach (var (path, _) in plan.Directories)
        {
            Directory.CreateDirectory(staging + path);
        }

        // Hard links: the first file of each (device, inode) group is written, the others link to it afterwards.
        var firstOfInode = new Dictionary<(long, long), string>();
        var links = new List<(string Path, string Existing)>();
        var toWrite = new List<(string Path, Node Node)>();
        foreach (var (path, node) in plan.Files)
        {
            if (node.Links > 1 && node.Inode != 0)
            {
                if (firstOfInode.TryGetValue((node.Device, node.Inode), out var existing))
                {
                    links.Add((path, existing));
                    continue;
                }

                firstOfInode.Add((node.Device, node.Inode), path);
            }

            toWrite.Add((path, node));
        }

        // TSDB blocks (Prometheus, Mimir, Tempo) are complete only with their meta.json, so every meta.json is written
        // after all other files: an engine that sees the restored directory early never takes a half block for whole.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
        var last = toWrite.Where(f => IsWrittenLast(f.Path)).ToList();
        await Parallel.ForEachAsync(toWrite.Where(f => !IsWrittenLast(f.Path)).OrderByDescending(f => f.Node.Size), parallel,
            async (file, ct) => await WriteFileAsync(staging + file.Path, file.Node, ct).ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var (path, node) in last)
        {
            await WriteFileAsync(staging + path, node, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (path, existing) in links)
        {
            Posix.Link(staging + existing, staging + path);
        }

        foreach (var (path, node) in plan.Others)
        {
            CreateSpecial(staging + path, node);
        }

        // Metadata last, directories deepest first, so writing children does not disturb a parent's mtime.
        foreach (var (path, node) in toWrite)
        {
            ApplyMetadata(staging + path, node);
        }

        foreach (var (path, node) in plan.Directories.AsEnumerable().Reverse())
        {
            ApplyMetadata(staging + path, node);
        }
    }

    private static bool IsWrittenLast(string path) => path.EndsWith("/meta.json", StringComparison.Ordinal);

    private async ValueTask WriteFileAsync(string path, Node node, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None);
        var content = node.Content ?? [];
        var offsets = new long[content.Count];
        var locations = new BlobLocation[content.Count];
        long offset = 0;
        for (var i = 0; i < content.Count; i++)
        {
            locations[i] = repository.Locate(ObjectId.Parse(content[i]), BlobType.Data);
            offsets[i] = offset;
            offset += locations[i].RawLength;
        }

        var degree = content.Count > 2 ? options.Concurrency : 1;
        await Parallel.ForEachAsync(Enumerable.Range(0, content.Count), new ParallelOptions { MaxDegreeOfParallelism = degree, CancellationToken = cancellationToken },
            async (i, ct) => await WriteChunkAsync(handle, locations[i], offsets[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        RandomAccess.SetLength(handle, offset);
        if (offset != node.Size)
        {
            lock (_warnings)
            {
                _warnings.Add($"{path}: content adds up to {offset} bytes, the snapshot recorded {node.Size}");
            }
        }
    }

    private async ValueTask WriteChunkAsync(SafeFileHandle handle, BlobLocation location, long offset, CancellationToken cancellationToken)
    {
        var buffer = Stackvault.Buffers.BufferPool.Rent((int)location.RawLength);
        try
        {
            var data = buffer.AsMemory(0, (int)location.RawLength);
            await repository.ReadBlobAsync(location, data, cancellationToken).ConfigureAwait(false);
            await WriteSkippingZerosAsync(handle, data, offset, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Stackvault.Buffers.BufferPool.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the non-zero runs of the chunk, in segments of <see cref="SparseSegment"/> bytes, and skips all-zero
    /// segments with a seek so holes stay holes; the file's final length is set afterwards.
    /// </summary>
    private static async ValueTask WriteSkippingZerosAsync(SafeFileHandle handle, ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken)
    {
        var position = 0;
        while (position < data.Length)
        {
            while (position < data.Length && !data.Span.Slice(position, Math.Min(SparseSegment, data.Length - position)).ContainsAnyExcept((byte)0))
            {
                position += SparseSegment;
            }

            var start = position;
            while (position < data.Length && data.Span.Slice(position, Math.Min(SparseSegment, data.Length - position)).ContainsAnyExcept((byte)0))
            {
                position += SparseSegment;
            }

            var end = Math.Min(position, data.Length);
            if (end > start)
            {
                await RandomAccess.WriteAsync(handle, data[start..end], offset + start, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private const int SparseSegment = 64 * 1024;

    private void CreateSpecial(string path, Node node)
    {
        switch (node.Type)
        {
            case NodeType.Symlink:
                File.CreateSymbolicLink(path, node.Target ?? string.Empty);
                break;
            case NodeType.Fifo:
                Posix.MkFifo(path, node.Mode);
                Posix.Chmod(path, node.Mode & 0xFFF);
                break;
            default:
                lock (_warnings)
                {
                    _warnings.Add($"{path}: {node.Type} nodes are not restored");
                }

                return;
        }

        if (options.RestoreOwnership)
        {
            Posix.LChown(path, node.Uid, node.Gid);
        }

        Posix.SetTimes(path, node.MtimeNs, followSymlinks: false);
    }

    private void ApplyMetadata(string path, Node node)
    {
        if (options.RestoreOwnership)
        {
            Posix.LChown(path, node.Uid, node.Gid);
        }

        File.SetUnixFileMode(path, (UnixFileMode)(node.Mode & 0xFFF));
        Posix.SetTimes(path, node.MtimeNs, followSymlinks: false);
    }
}
