using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Backup;

public sealed partial class BackupRunner
{
    /// <summary>
    /// Stores a virtual directory (a bucket's objects) as synthesized directories and files. A file with the size and
    /// ETag of its parent snapshot's node keeps that node's content without being opened; the others are streamed
    /// in parallel. A file that cannot be read, or reads to another length, is left out and makes the snapshot partial.
    /// </summary>
    private async ValueTask<Node> SaveFilesAsync(string name, string snapshotPath, IReadOnlyList<VirtualFile> files, Node? parentNode, CancellationToken cancellationToken)
    {
        var root = new VirtualDirectory();
        foreach (var file in files)
        {
            var parts = file.RelativePath.Split('/');
            if (parts.Any(p => p.Length == 0 || p is "." or ".." || p.Contains('\0', StringComparison.Ordinal)))
            {
                AddError(snapshotPath + "/" + file.RelativePath, "the name cannot be stored as a path (empty, '.' or '..' part)");
                continue;
            }

            var dir = root;
            foreach (var part in parts[..^1])
            {
                dir = dir.Dirs.TryGetValue(part, out var sub) ? sub : dir.Dirs[part] = new VirtualDirectory();
            }

            dir.Files[parts[^1]] = file;
        }

        var node = NodeFactory.Synthetic(name);
        node.Subtree = await SaveVirtualDirectoryAsync(snapshotPath, root, parentNode, cancellationToken).ConfigureAwait(false);
        return node;
    }

    private async ValueTask<ObjectId> SaveVirtualDirectoryAsync(string path, VirtualDirectory dir, Node? parentNode, CancellationToken cancellationToken)
    {
        var parentNodes = ByName(await LoadSubtreeAsync(parentNode, cancellationToken).ConfigureAwait(false));
        var pending = new List<Task<Node?>>();
        foreach (var (fileName, file) in dir.Files)
        {
            if (dir.Dirs.ContainsKey(fileName))
            {
                AddError(path + "/" + fileName, "both an object and a prefix of other objects; the object is left out");
                continue;
            }

            parentNodes.TryGetValue(fileName, out var parentFile);
            await _fileSlots!.WaitAsync(cancellationToken).ConfigureAwait(false);
            pending.Add(SaveVirtualFileAsync(path + "/" + fileName, fileName, file, parentFile, cancellationToken));
        }

        // Subdirectories (a bucket's blocks, each with a few objects) go on at the same time, so the file slots, not
        // one directory's handful of objects, bound the parallel downloads.
        var subdirectories = new List<(string Name, Task<ObjectId> Tree)>();
        foreach (var (dirName, sub) in dir.Dirs)
        {
            parentNodes.TryGetValue(dirName, out var parentSub);
            subdirectories.Add((dirName, SaveVirtualDirectoryAsync(path + "/" + dirName, sub, parentSub, cancellationToken).AsTask()));
        }

        await Task.WhenAll(subdirectories.Select(s => s.Tree)).ConfigureAwait(false);
        var nodes = new List<Node>();
        foreach (var (dirName, tree) in subdirectories)
        {
            var node = NodeFactory.Synthetic(dirName);
            node.Subtree = await tree.ConfigureAwait(false);
            nodes.Add(node);
        }

        foreach (var task in pending)
        {
            if (await task.ConfigureAwait(false) is { } fileNode)
            {
                nodes.Add(fileNode);
            }
        }

        nodes.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return await SaveTreeAsync(nodes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Node?> SaveVirtualFileAsync(string path, string name, VirtualFile file, Node? parentNode, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            var node = new Node
            {
                Name = name,
                Type = NodeType.File,
                Mode = 0x1A4, // 0644
                MtimeNs = file.Modified.ToUnixTimeMilliseconds() * 1_000_000,
                Size = file.Size,
                Etag = file.Etag,
            };
            if (!options.Force && file.Etag is not null && parentNode is { Type: NodeType.File, Content: not null } && parentNode.Size == file.Size
                && parentNode.Etag == file.Etag && parentNode.Content.All(_writer!.IsKnown))
            {
                node.Content = parentNode.Content;
                progress.AddFile(node.Size);
                CountFile(1, node.Size);
                return node;
            }

            progress.CurrentPath = path;
            var stream = await file.Open(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var (content, size) = await _files!.ArchiveAsync(stream, cancellationToken).ConfigureAwait(false);
                if (size != file.Size)
                {
                    AddError(path, $"read {size} bytes, the source listed {file.Size}: the object changed or the read was cut short");
                    return null;
                }

                node.Content = content;
            }

            progress.AddFile(0);
            CountFile(parentNode is null ? 0 : 2, node.Size);
            return node;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or Errors.StackvaultException && e is not OperationCanceledException)
        {
            AddError(path, e.Message);
            return null;
        }
        finally
        {
            _fileSlots!.Release();
        }
    }

    private sealed class VirtualDirectory
    {
        public SortedDictionary<string, VirtualDirectory> Dirs { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, VirtualFile> Files { get; } = new(StringComparer.Ordinal);
    }
}
