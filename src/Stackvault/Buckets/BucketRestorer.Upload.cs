using Stackvault.Errors;
using Stackvault.Progress;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

public sealed partial class BucketRestorer
{
    private async ValueTask UploadAsync(List<Unit> units, IBucketStore target, BucketRestoreOptions options, OperationProgress progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(options.Concurrency);
        await Parallel.ForEachAsync(units.Where(u => u.Files.Count > 0), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (unit, ct) =>
        {
            var last = unit.Block is not null && unit.Files[^1].Key.EndsWith("/meta.json", StringComparison.Ordinal) ? unit.Files[^1] : default;
            var body = last.Node is null ? unit.Files : unit.Files[..^1];
            await Task.WhenAll(body.Select(f => UploadOneAsync(f.Key, f.Node, target, slots, progress, ct))).ConfigureAwait(false);
            if (last.Node is not null)
            {
                await UploadOneAsync(last.Key, last.Node, target, slots, progress, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Streams one object from the repository into the target: no staging on disk. Each blob is authenticated and
    /// checked against its id as it is decoded; the store sends MD5s the server checks (S3 Content-MD5 per PUT or part,
    /// Azure Content-MD5) or hashes what it wrote (a directory). A retry reads the content from the repository again.
    /// </summary>
    private async Task UploadOneAsync(string key, Node node, IBucketStore target, SemaphoreSlim slots, OperationProgress progress, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            progress.CurrentPath = key;
            await target.PutAsync(key, _ => ValueTask.FromResult<Stream>(Open(key, node)), node.Size, node.Etag, cancellationToken).ConfigureAwait(false);
            progress.AddFile(node.Size);
        }
        finally
        {
            slots.Release();
        }
    }

    private Export.BlobContentStream Open(string key, Node node)
    {
        var content = ContentOf(node);
        if (content.Length != node.Size)
        {
            content.Dispose();
            throw new StackvaultException($"{key}: the snapshot's content is {content.Length} bytes, its node says {node.Size}");
        }

        return content;
    }
}
