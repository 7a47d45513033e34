using Stackvault.Platform;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Backup;

public sealed partial class BackupRunner
{
    private async ValueTask<ObjectId> SaveVirtualAsync(SourceTree source, Tree? parent, CancellationToken cancellationToken)
    {
        var nodes = new List<Node>();
        var parentNodes = ByName(parent);
        foreach (var (name, child) in source.Children)
        {
            parentNodes.TryGetValue(name, out var parentNode);
            if (child.Source is { Files: { } files })
            {
                nodes.Add(await SaveFilesAsync(name, child.Source.SnapshotPath, files, parentNode, cancellationToken).ConfigureAwait(false));
                continue;
            }

            if (child.Source is { OpenStream: not null } stream)
            {
                if (await SaveStreamAsync(name, stream, cancellationToken).ConfigureAwait(false) is { } streamed)
                {
                    nodes.Add(streamed);
                }

                continue;
            }

            if (child.Source is { RealPath: { } real })
            {
                var entry = await SaveEntryAsync(real, name, Posix.LStat(real), parentNode, cancellationToken).ConfigureAwait(false);
                if (entry is not null)
                {
                    nodes.Add(await entry.ConfigureAwait(false));
                }

                continue;
            }

            var dirNode = child.RealPath is { } dir ? NodeFactory.Create(name, Posix.LStat(dir)) : NodeFactory.Synthetic(name);
            var parentSubtree = await LoadSubtreeAsync(parentNode, cancellationToken).ConfigureAwait(false);
            dirNode.Subtree = await SaveVirtualAsync(child, parentSubtree, cancellationToken).ConfigureAwait(false);
            nodes.Add(dirNode);
        }

        return await SaveTreeAsync(nodes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores a stream (a dump, a command's stdout) as one file; a failing stream makes the snapshot partial.</summary>
    private async ValueTask<Node?> SaveStreamAsync(string name, BackupSource source, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await source.OpenStream!(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var (content, size) = await _files!.ArchiveAsync(stream, cancellationToken).ConfigureAwait(false);
                progress.AddFile(0);
                CountFile(0, size);
                var node = NodeFactory.Synthetic(name);
                node.Type = NodeType.File;
                node.Mode = source.Mode;
                node.Size = size;
                node.Content = content;
                node.MtimeNs = repository.Time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
                return node;
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or Errors.StackvaultException && e is not OperationCanceledException)
        {
            AddError(source.SnapshotPath, e.Message);
            return null;
        }
    }

    /// <summary>Starts saving one entry; a file is saved on a worker, so the returned task may still run. Null: skipped.</summary>
    private async ValueTask<Task<Node>?> SaveEntryAsync(string path, string name, FileStatus status, Node? parentNode, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var node = NodeFactory.Create(name, status);
        switch (node.Type)
        {
            case NodeType.Directory:
                return Task.FromResult(await SaveDirectoryAsync(path, node, parentNode, cancellationToken).ConfigureAwait(false));
            case NodeType.File:
                await _fileSlots!.WaitAsync(cancellationToken).ConfigureAwait(false);
                return SaveFileAsync(path, node, parentNode, cancellationToken);
            case NodeType.Symlink:
                node.Target = new FileInfo(path).LinkTarget ?? string.Empty;
                break;
        }

        return Task.FromResult(node);
    }

    private async ValueTask<Node> SaveDirectoryAsync(string path, Node node, Node? parentNode, CancellationToken cancellationToken)
    {
        var parentTree = await LoadSubtreeAsync(parentNode, cancellationToken).ConfigureAwait(false);
        var parentNodes = ByName(parentTree);
        var pending = new List<Task<Node>>();
        var listing = options.Prescan?.Take(path);
        string[] names;
        try
        {
            names = listing?.Names ?? [.. Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AddError(path, "cannot list directory: " + e.Message);
            names = [];
        }

        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var childPath = path + "/" + name;
            if (_filter.IsExcluded(childPath))
            {
                continue;
            }

            FileStatus status;
            try
            {
                status = listing?.Statuses[i] ?? Posix.LStat(childPath);
            }
            catch (IOException e)
            {
                AddError(childPath, e.Message);
                continue;
            }

            parentNodes.TryGetValue(name, out var parentChild);
            var task = await SaveEntryAsync(childPath, name, status, parentChild, cancellationToken).ConfigureAwait(false);
            if (task is not null)
            {
                pending.Add(task);
            }
        }

        var nodes = new List<Node>(pending.Count);
        foreach (var task in pending)
        {
            var child = await task.ConfigureAwait(false);
            if (child.Name.Length > 0)
            {
                nodes.Add(child);
            }
        }

        var subtree = await SaveTreeAsync(nodes, cancellationToken).ConfigureAwait(false);
        node.Subtree = subtree;
        lock (_summary)
        {
            if (parentNode?.Subtree is null)
            {
                _summary.DirsNew++;
            }
            else if (parentNode.Subtree == node.Subtree)
            {
                _summary.DirsUnmodified++;
            }
            else
            {
                _summary.DirsChanged++;
            }
        }

        return node;
    }

    private async Task<Node> SaveFileAsync(string path, Node node, Node? parentNode, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            if (!options.Force && parentNode is { Type: NodeType.File, Content: not null } && parentNode.Size == node.Size
                && parentNode.MtimeNs == node.MtimeNs && parentNode.Inode == node.Inode
                && parentNode.Content.All(_writer!.IsKnown))
            {
                node.Content = parentNode.Content;
                progress.AddFile(node.Size);
                CountFile(1, node.Size);
                return node;
            }

            progress.CurrentPath = path;
            var (content, size) = await _files!.ArchiveAsync(path, cancellationToken).ConfigureAwait(false);
            node.Content = content;
            node.Size = size;
            progress.AddFile(0);
            CountFile(parentNode is null ? 0 : 2, size);
            return node;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AddError(path, e.Message);
            return new Node();
        }
        finally
        {
            _fileSlots!.Release();
        }
    }

    private async ValueTask<ObjectId> SaveTreeAsync(List<Node> nodes, CancellationToken cancellationToken)
    {
        var bytes = Repository.Repository.SerializeTree(new Tree { Nodes = nodes });
        var id = repository.Blobs.Hasher.ComputeId(bytes);
        await _writer!.SaveAsync(BlobType.Tree, id, bytes, null, cancellationToken).ConfigureAwait(false);
        return id;
    }

    private async ValueTask<Tree?> LoadSubtreeAsync(Node? parentNode, CancellationToken cancellationToken)
    {
        if (parentNode is not { Type: NodeType.Directory, Subtree: { } id })
        {
            return null;
        }

        try
        {
            return await repository.LoadTreeAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.StackvaultException)
        {
            return null;
        }
    }

    private static Dictionary<string, Node> ByName(Tree? tree)
    {
        var map = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in tree?.Nodes ?? [])
        {
            map.TryAdd(node.Name, node);
        }

        return map;
    }

    /// <summary>0: new, 1: unmodified, 2: changed (or a non-file entry seen before).</summary>
    private void CountFile(int kind, long size)
    {
        lock (_summary)
        {
            _summary.TotalBytesProcessed += size;
            _ = kind switch
            {
                0 => _summary.FilesNew++,
                1 => _summary.FilesUnmodified++,
                _ => _summary.FilesChanged++,
            };
        }
    }
}
