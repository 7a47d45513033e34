using Stackvault.Errors;
using Stackvault.Repository.Model;

namespace Stackvault.Buckets;

public sealed partial class BucketRestorer
{
    private async ValueTask UploadAsync(List<Unit> units, IBucketStore target, BucketRestoreOptions options, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(options.Concurrency);
        await Parallel.ForEachAsync(units.Where(u => u.Files.Count > 0), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken }, async (unit, ct) =>
        {
            var last = unit.Block is not null && unit.Files[^1].Key.EndsWith("/meta.json", StringComparison.Ordinal) ? unit.Files[^1] : default;
            var body = last.Node is null ? unit.Files : unit.Files[..^1];
            await Task.WhenAll(body.Select(f => UploadOneAsync(f.Key, f.Node, target, slots, options, ct))).ConfigureAwait(false);
            if (last.Node is not null)
            {
                await UploadOneAsync(last.Key, last.Node, target, slots, options, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private async Task UploadOneAsync(string key, Node node, IBucketStore target, SemaphoreSlim slots, BucketRestoreOptions options, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The SDK rewinds the body to retry: stage the content (memory for small objects, a temp file otherwise).
            Stream staged = node.Size <= options.MemoryStaging
                ? new MemoryStream(checked((int)node.Size))
                : new FileStream(Path.Combine(Path.GetTempPath(), "stackvault-bucket-" + Guid.NewGuid().ToString("N")), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await using (staged.ConfigureAwait(false))
            {
                await using (var content = ContentOf(node))
                {
                    await content.CopyToAsync(staged, cancellationToken).ConfigureAwait(false);
                }

                if (staged.Length != node.Size)
                {
                    throw new StackvaultException($"{key}: the snapshot's content is {staged.Length} bytes, its node says {node.Size}");
                }

                staged.Position = 0;
                await target.PutAsync(key, staged, node.Size, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            slots.Release();
        }
    }
}
