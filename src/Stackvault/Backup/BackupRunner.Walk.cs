using Stackvault.Platform;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Backup;

public sealed partial class BackupRunner
{
    /// <summary>
    /// Walks the virtual tree of the sources and returns its root tree's id once everything under it is stored. The walk
    /// never waits for a file to be stored, only for a file slot: each directory's tree is saved when its entries are
    /// done, while the walk is already in the next directory (waiting at each directory's end emptied the pipeline at
    /// every one of them: a Loki tree of 142 directories of 11 chunk files each kept one core idle).
    /// </summary>
    private async ValueTask<ObjectId> SaveVirtualAsync(SourceTree source, Tree? parent, CancellationToken cancellationToken) =>
        await (await WalkVirtualAsync(source, parent, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);

    private async ValueTask<Task<ObjectId>> WalkVirtualAsync(SourceTree source, Tree? parent, CancellationToken cancellationToken)
    {
        var entries = new List<Task<Node>>();
        var parentNodes = ByName(parent);
        foreach (var (name, child) in source.Children)
        {
            parentNodes.TryGetValue(name, out var parentNode);
            if (child.Source is { Files: { } files })
            {
                entries.Add(Task.FromResult(await SaveFilesAsync(name, child.Source.SnapshotPath, files, parentNode, cancellationToken).ConfigureAwait(false)));
                continue;
            }

            if (child.Source is { OpenStream: not null } stream)
            {
                if (await SaveStreamAsync(name, stream, cancellationToken).ConfigureAwait(false) is { } streamed)
                {
                    entries.Add(Task.FromResult(streamed));
                }

                continue;
            }

            if (child.Source is { RealPath: { } real })
            {
                if (await SaveEntryAsync(real, name, Posix.LStat(real), parentNode, ticket: null, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    entries.Add(entry);
                }

                continue;
            }

            var dirNode = child.RealPath is { } dir ? NodeFactory.Create(name, Posix.LStat(dir)) : NodeFactory.Synthetic(name);
            var parentSubtree = await LoadSubtreeAsync(parentNode, cancellationToken).ConfigureAwait(false);
            entries.Add(WithSubtreeAsync(dirNode, await WalkVirtualAsync(child, parentSubtree, cancellationToken).ConfigureAwait(false)));
        }

        return SaveTreeWhenDoneAsync(entries, cancellationToken);
    }

    private static async Task<Node> WithSubtreeAsync(Node node, Task<ObjectId> subtree)
    {
        node.Subtree = await subtree.ConfigureAwait(false);
        return node;
    }

    /// <summary>Saves the tree of <paramref name="entries"/> (in order; a file that could not be read has no name and is left out) once all are done.</summary>
    private async Task<ObjectId> SaveTreeWhenDoneAsync(List<Task<Node>> entries, CancellationToken cancellationToken)
    {
        var nodes = new List<Node>(entries.Count);
        foreach (var entry in entries)
        {
            var node = await entry.ConfigureAwait(false);
            if (node.Name.Length > 0)
            {
                nodes.Add(node);
            }
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

    /// <summary>Starts saving one entry: a file is saved on a worker and a directory's tree once its entries are, so the returned task may still run. Null: skipped.</summary>
    private async ValueTask<Task<Node>?> SaveEntryAsync(string path, string name, FileStatus status, Node? parentNode, SourceReadAhead.Ticket? ticket, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var node = NodeFactory.Create(name, status);
        switch (node.Type)
        {
            case NodeType.Directory:
                return await WalkDirectoryAsync(path, node, parentNode, cancellationToken).ConfigureAwait(false);
            case NodeType.File:
                await _fileSlots!.WaitAsync(cancellationToken).ConfigureAwait(false);
                return SaveFileAsync(path, node, parentNode, ticket, cancellationToken);
            case NodeType.Symlink:
                node.Target = new FileInfo(path).LinkTarget ?? string.Empty;
                break;
        }

        return Task.FromResult(node);
    }

    /// <summary>Walks one directory (its subdirectories too) and returns the task that completes with its node once its tree is saved.</summary>
    private async ValueTask<Task<Node>> WalkDirectoryAsync(string path, Node node, Node? parentNode, CancellationToken cancellationToken)
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

        var statuses = listing?.Statuses ?? new FileStatus?[names.Length];
        _readAhead ??= new SourceReadAhead(); // on the walk's thread of control: one per run, for real directories only
        var tickets = new SourceReadAhead.Ticket?[names.Length];
        var named = 0;
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
                status = statuses[i] ?? Posix.LStat(childPath);
            }
            catch (IOException e)
            {
                AddError(childPath, e.Message);
                continue;
            }

            named = NameAhead(path, names, statuses, parentNodes, tickets, Math.Max(named, i));

            parentNodes.TryGetValue(name, out var parentChild);
            var task = await SaveEntryAsync(childPath, name, status, parentChild, tickets[i], cancellationToken).ConfigureAwait(false);
            if (task is not null)
            {
                pending.Add(task);
            }
        }

        return FinishDirectoryAsync(node, pending, parentNode, cancellationToken);
    }

    private async Task<Node> FinishDirectoryAsync(Node node, List<Task<Node>> pending, Node? parentNode, CancellationToken cancellationToken)
    {
        node.Subtree = await SaveTreeWhenDoneAsync(pending, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Names to the read-ahead the files of this directory from <paramref name="from"/> on that the backup will read
    /// (regular, not empty, not excluded, and not unchanged against the parent), while its window has room; lstat()s
    /// the entries it passes (kept in <paramref name="statuses"/> for the walk). Returns the first entry not looked at.
    /// </summary>
    private int NameAhead(string path, string[] names, FileStatus?[] statuses, Dictionary<string, Node> parentNodes, SourceReadAhead.Ticket?[] tickets, int from)
    {
        var next = from;
        for (; next < names.Length && _readAhead!.HasRoom; next++)
        {
            var childPath = path + "/" + names[next];
            if (_filter.IsExcluded(childPath))
            {
                continue;
            }

            try
            {
                statuses[next] ??= Posix.LStat(childPath);
            }
            catch (IOException)
            {
                continue; // the walk meets it again and reports it
            }

            var status = statuses[next]!.Value;
            if (status.IsRegularFile && status.Size > 0
                && !(parentNodes.TryGetValue(names[next], out var parent) && IsUnchanged(NodeFactory.Create(names[next], status), parent, checkContent: false)))
            {
                tickets[next] = _readAhead.Name(childPath, status.Size);
            }
        }

        return next;
    }

    /// <summary>
    /// Whether the parent snapshot's node holds this file as it is now: same size, mtime and inode (and, with
    /// <paramref name="checkContent"/>, every chunk of its content still in the repository). Never with --force.
    /// </summary>
    private bool IsUnchanged(Node node, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] Node? parentNode, bool checkContent) =>
        !options.Force && parentNode is { Type: NodeType.File, Content: not null } && parentNode.Size == node.Size
        && parentNode.MtimeNs == node.MtimeNs && parentNode.Inode == node.Inode
        && (!checkContent || parentNode.Content.All(_writer!.IsKnown));

    private async Task<Node> SaveFileAsync(string path, Node node, Node? parentNode, SourceReadAhead.Ticket? ticket, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Yield();
            if (IsUnchanged(node, parentNode, checkContent: true))
            {
                node.Content = parentNode.Content!;
                progress.AddFile(node.Size);
                CountFile(1, node.Size);
                return node;
            }

            if (options.BeforeFile is { } before)
            {
                await before(path, cancellationToken).ConfigureAwait(false);
            }

            progress.CurrentPath = path;
            var (content, size) = await _files!.ArchiveAsync(path, ticket?.Take(), cancellationToken).ConfigureAwait(false);
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
            ticket?.Take(); // taken, whatever happened, so the read-ahead's window moves on
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
