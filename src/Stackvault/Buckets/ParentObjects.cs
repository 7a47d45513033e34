using Stackvault.Export;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

/// <summary>
/// The objects a bucket backup's parent snapshot holds under the component's directory. An object listed with the
/// same key, size and ETag as its parent node is unchanged: the scan reads such a block's meta.json back from the
/// repository instead of GETting it from the bucket, so an unchanged bucket costs the listing only (the backup
/// engine likewise keeps the node's content without opening the object).
/// </summary>
public sealed class ParentObjects
{
    private readonly Repository.Repository? _repository;
    private readonly Dictionary<string, Node> _nodes;
    private int _reused;

    private ParentObjects(Repository.Repository? repository, Dictionary<string, Node> nodes)
    {
        _repository = repository;
        _nodes = nodes;
    }

    /// <summary>No parent: every object is read from the bucket.</summary>
    public static ParentObjects None { get; } = new(null, new Dictionary<string, Node>(StringComparer.Ordinal));

    /// <summary>Objects whose content came from the repository instead of the bucket so far.</summary>
    public int Reused => Volatile.Read(ref _reused);

    /// <summary>
    /// The parent snapshot's file nodes under <paramref name="snapshotPath"/> named <paramref name="fileName"/> (the
    /// only ones the scan reads: meta.json); a parent without that directory gives none.
    /// </summary>
    public static async ValueTask<ParentObjects> LoadAsync(Repository.Repository repository, ObjectId parent, string snapshotPath, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var snapshot = await repository.LoadSnapshotAsync(parent, cancellationToken).ConfigureAwait(false);
        List<(string Key, Node Node)> files;
        try
        {
            files = await SnapshotObjects.CollectAsync(repository, snapshot, snapshotPath, fileName, cancellationToken).ConfigureAwait(false);
        }
        catch (Errors.StackvaultException)
        {
            return None; // the parent has no such directory (a --parent of another kind)
        }

        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var (key, node) in files)
        {
            nodes[key] = node;
        }

        return new ParentObjects(repository, nodes);
    }

    /// <summary>
    /// The content of <paramref name="item"/> from the parent snapshot when its key, size and ETag are the parent
    /// node's and every blob of it is in the index; null when it must be read from the bucket.
    /// </summary>
    public async ValueTask<byte[]?> ReadUnchangedAsync(BucketObject item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (_repository is null || item.Etag is null || !_nodes.TryGetValue(item.Key, out var node)
            || node.Etag != item.Etag || node.Size != item.Size || node.Content is null
            || !node.Content.All(id => _repository.Index.Contains(id)))
        {
            return null;
        }

        var content = new byte[node.Size];
        await using (var stream = BlobContentStream.Of(_repository, node))
        {
            await stream.ReadExactlyAsync(content, cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _reused);
        return content;
    }
}
