using Stackvault.Platform;
using Stackvault.Progress;
using Stackvault.Repository.Model;

namespace Stackvault.Restore;

public sealed partial class RestoreRunner
{
    /// <summary>Creates everything in the staging directory; returns the files written (for --verify): not the damaged ones, not the links.</summary>
    private async ValueTask<IReadOnlyList<(string Path, Node Node)>> WriteAsync(string staging, RestorePlan plan, OperationProgress progress, CancellationToken cancellationToken)
    {
        foreach (var (path, _) in plan.Directories)
        {
            Directory.CreateDirectory(staging + path);
        }

        // Hard links: the first file of each (device, inode) group is written, the others link to it afterwards. A
        // member whose recorded content differs from the first's is corruption: it is named, never given the first's bytes.
        var firstOfInode = new Dictionary<(long, long), (string Path, Node Node)>();
        var links = new List<(string Path, string Existing)>();
        var toWrite = new List<(string Path, Node Node)>();
        foreach (var (path, node) in plan.Files)
        {
            if (node.Links > 1 && node.Inode != 0)
            {
                if (firstOfInode.TryGetValue((node.Device, node.Inode), out var first))
                {
                    if (first.Node.Size != node.Size || !(first.Node.Content ?? []).SequenceEqual(node.Content ?? []))
                    {
                        _failed.Add((path, $"hard-linked to {first.Path} (inode {node.Inode}) but recorded with different content: the snapshot is corrupt"));
                        progress.AddError();
                        continue;
                    }

                    links.Add((path, first.Path));
                    continue;
                }

                firstOfInode.Add((node.Device, node.Inode), (path, node));
            }

            toWrite.Add((path, node));
        }

        // TSDB blocks (Prometheus, Mimir, Tempo) are complete only with their meta.json, so every meta.json is written
        // after all other files: an engine that sees the restored directory early never takes a half block for whole.
        var writer = new PackOrderWriter(repository, options.Concurrency, progress);
        var damaged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var phase in new[] { toWrite.Where(f => !IsWrittenLast(f.Path)), toWrite.Where(f => IsWrittenLast(f.Path)) })
        {
            var failed = await writer.WriteAsync([.. phase.Select(f => (staging + f.Path, f.Path, f.Node))], cancellationToken).ConfigureAwait(false);
            foreach (var (path, reason) in failed)
            {
                _failed.Add((path, reason));
                damaged.Add(path);
            }
        }

        _warnings.AddRange(writer.LengthMismatches);
        foreach (var (path, existing) in links)
        {
            if (damaged.Contains(existing))
            {
                _failed.Add((path, $"hard-linked to {existing}, which could not be restored"));
                continue;
            }

            Posix.Link(staging + existing, staging + path);
        }

        foreach (var (path, node) in plan.Others)
        {
            CreateSpecial(staging + path, node);
        }

        // Metadata last, directories deepest first, so writing children does not disturb a parent's mtime.
        var written = toWrite.Where(f => !damaged.Contains(f.Path)).ToList();
        foreach (var (path, node) in written)
        {
            ApplyMetadata(staging + path, node);
        }

        foreach (var (path, node) in plan.Directories.AsEnumerable().Reverse())
        {
            ApplyMetadata(staging + path, node);
        }

        return written;
    }

    private static bool IsWrittenLast(string path) => path.EndsWith("/meta.json", StringComparison.Ordinal);

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
