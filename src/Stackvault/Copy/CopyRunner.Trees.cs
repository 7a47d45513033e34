using Stackvault.Repository;
using Stackvault.Repository.Model;
using Stackvault.Repository.Packing;

namespace Stackvault.Copy;

public sealed partial class CopyRunner
{
    /// <summary>
    /// Copies one tree and everything below it; returns its id in the destination. <paramref name="referenceSource"/>
    /// and <paramref name="referenceDestination"/> are the same directory in an earlier snapshot and in its copy: what
    /// is unchanged since then is taken from the copy.
    /// </summary>
    private async ValueTask<ObjectId> CopyTreeAsync(ObjectId tree, ObjectId? referenceSource, ObjectId? referenceDestination, BlobWriter writer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_sameIds && (destination.Index.Contains(tree) || writer.IsKnown(tree)))
        {
            return tree; // same ids, same tree bytes: the destination has this subtree
        }

        if (_trees.TryGetValue(tree, out var known))
        {
            return known;
        }

        if (referenceSource == tree && referenceDestination is { } unchanged && destination.Index.Contains(unchanged))
        {
            _trees[tree] = unchanged;
            return unchanged;
        }

        var listing = await source.LoadTreeAsync(tree, cancellationToken).ConfigureAwait(false);
        var references = await LoadReferencesAsync(referenceSource, referenceDestination, cancellationToken).ConfigureAwait(false);

        // The listing was just parsed and is ours: rewrite its ids in place, so every other field stays as it was.
        foreach (var node in listing.Nodes)
        {
            var (referenceNode, copiedNode) = references.TryGetValue(node.Name, out var pair) ? pair : (null, null);
            if (node.Subtree is { } subtree)
            {
                node.Subtree = await CopyTreeAsync(subtree, referenceNode?.Subtree, copiedNode?.Subtree, writer, cancellationToken).ConfigureAwait(false);
            }

            if (node.Content is { Count: > 0 } content)
            {
                node.Content = await CopyContentAsync(content, referenceNode, copiedNode, writer, cancellationToken).ConfigureAwait(false);
            }

            if (node.Type == NodeType.File)
            {
                Progress?.AddFile(node.Size);
            }
        }

        var bytes = Repository.Repository.SerializeTree(listing);
        var id = destination.Blobs.Hasher.ComputeId(bytes);
        await writer.SaveAsync(BlobType.Tree, id, bytes, null, cancellationToken).ConfigureAwait(false);
        _trees[tree] = id;
        return id;
    }

    /// <summary>The nodes of the reference directory and of its copy, by name; empty when they do not line up.</summary>
    private async ValueTask<Dictionary<string, (Node Source, Node Destination)>> LoadReferencesAsync(ObjectId? referenceSource, ObjectId? referenceDestination, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, (Node, Node)>(StringComparer.Ordinal);
        if (referenceSource is not { } sourceId || referenceDestination is not { } destinationId
            || !source.Index.Contains(sourceId) || !destination.Index.Contains(destinationId))
        {
            return result;
        }

        var before = await source.LoadTreeAsync(sourceId, cancellationToken).ConfigureAwait(false);
        var copy = await destination.LoadTreeAsync(destinationId, cancellationToken).ConfigureAwait(false);
        if (before.Nodes.Count != copy.Nodes.Count)
        {
            return result;
        }

        for (var i = 0; i < before.Nodes.Count; i++)
        {
            var (a, b) = (before.Nodes[i], copy.Nodes[i]);
            if (a.Name == b.Name && a.Type == b.Type && (a.Content?.Count ?? -1) == (b.Content?.Count ?? -1))
            {
                result.TryAdd(a.Name, (a, b));
            }
        }

        return result;
    }

    private async ValueTask<List<ObjectId>> CopyContentAsync(List<ObjectId> content, Node? referenceNode, Node? copiedNode, BlobWriter writer, CancellationToken cancellationToken)
    {
        if (referenceNode?.Content is { } before && copiedNode?.Content is { } copied && before.SequenceEqual(content)
            && copied.All(destination.Index.Contains))
        {
            Interlocked.Add(ref _blobsReused, copied.Count);
            return [.. copied];
        }

        var ids = new ObjectId[content.Count];
        var needed = new List<(int Index, BlobLocation Location)>(content.Count);
        for (var i = 0; i < content.Count; i++)
        {
            var blob = content[i];
            if (_sameIds && writer.IsKnown(blob))
            {
                Interlocked.Increment(ref _blobsPresent);
                ids[i] = blob;
                continue;
            }

            needed.Add((i, source.Locate(blob, BlobType.Data)));
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = BlobConcurrency, CancellationToken = cancellationToken };
        // From object storage, blobs are grouped by pack (read whole, or by runs); a local source reads each blob alone.
        var runs = _packCache is null ? needed.Select(b => new List<(int, BlobLocation)> { b }).ToList() : PackRuns(needed);
        await Parallel.ForEachAsync(runs, options, async (run, ct) => await CopyRunAsync(run, ids, writer, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. ids];
    }
}
