using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Copy;

/// <summary>
/// Whole packs of a remote source repository, read once each and kept while a few others are in use, so a copy
/// from object storage makes two requests per pack (size, content) instead of one ranged read per blob. Backups
/// interleave the chunks of concurrently read files in their packs, so reading a file's blobs alone would still
/// touch most of a pack; a full copy needs nearly all of every pack anyway. Memory: the most recently used packs up
/// to <see cref="Budget"/> bytes (at least one), plus those being read.
/// </summary>
internal sealed class PackCache(IStorage storage)
{
    public const long Budget = 64L << 20;

    /// <summary>Larger packs (a repository made with a large pack size) are not cached: read by ranges instead.</summary>
    public const int MaxPackSize = 64 << 20;

    private readonly Lock _lock = new();
    private readonly LinkedList<(ObjectHandle Pack, Task<byte[]?> Content)> _recent = [];

    /// <summary>Packs read so far (tests).</summary>
    public int Reads { get; private set; }

    /// <summary>The stored bytes of a pack, read or shared with a read under way; null for a pack over <see cref="MaxPackSize"/>.</summary>
    public async ValueTask<byte[]?> GetAsync(ObjectHandle pack, CancellationToken cancellationToken)
    {
        Task<byte[]?> content;
        lock (_lock)
        {
            var node = _recent.First;
            while (node is not null && node.Value.Pack != pack)
            {
                node = node.Next;
            }

            if (node is not null && !node.Value.Content.IsFaulted && !node.Value.Content.IsCanceled)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
                content = node.Value.Content;
            }
            else
            {
                if (node is not null)
                {
                    _recent.Remove(node);
                }

                content = ReadAsync(pack, cancellationToken);
                Reads++;
                _recent.AddFirst((pack, content));
                Trim();
            }
        }

        return await content.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the least recently used packs beyond the budget (reads under way count as a full pack).</summary>
    private void Trim()
    {
        long total = 0;
        for (var node = _recent.First; node is not null;)
        {
            var next = node.Next;
            total += node.Value.Content.IsCompletedSuccessfully ? node.Value.Content.Result?.Length ?? 0 : 16 << 20;
            if (total > Budget && node != _recent.First)
            {
                _recent.Remove(node);
            }

            node = next;
        }
    }

    private async Task<byte[]?> ReadAsync(ObjectHandle pack, CancellationToken cancellationToken)
    {
        var size = await storage.StatAsync(pack, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(pack);
        if (size > MaxPackSize)
        {
            return null;
        }

        var content = GC.AllocateUninitializedArray<byte>((int)size);
        await storage.ReadAtAsync(pack, 0, content, cancellationToken).ConfigureAwait(false);
        return content;
    }
}
