using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Stackvault.Buckets;

/// <summary>
/// A store whose first listing starts when it is made, before anyone asks: <c>bucket backup</c> lists the bucket while
/// it opens the repository (the key's derivation, the lock, the index, the snapshots), which otherwise come first and
/// leave the network idle (about a fifth of a second, and the S3 client's first request with them). The objects
/// listed ahead wait in a bounded queue (<see cref="Capacity"/>; the listing pauses when it is full), so memory stays
/// small for a bucket of millions; the first <see cref="ListAsync"/> reads that queue, later ones list afresh. A listing
/// error reaches the first <see cref="ListAsync"/> as it was thrown. Not for a run that must do something before the
/// listing (an ingester flush).
/// </summary>
public sealed class ListingAhead : IBucketStore
{
    /// <summary>Objects held at most while nobody reads the listing.</summary>
    public const int Capacity = 10_000;

    private readonly IBucketStore _inner;
    private readonly Channel<BucketObject> _listed = Channel.CreateBounded<BucketObject>(new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listing;
    private int _taken;

    public ListingAhead(IBucketStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _listing = Task.Run(ListAheadAsync);
    }

    public string Location => _inner.Location;

    public async IAsyncEnumerable<BucketObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _taken, 1) != 0)
        {
            await foreach (var item in _inner.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }

            yield break;
        }

        var reader = _listed.Reader;
        while (true)
        {
            bool more;
            try
            {
                more = await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException e) when (e.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }

            if (!more)
            {
                yield break;
            }

            while (reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    public ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => _inner.OpenReadAsync(key, cancellationToken);

    public ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken) =>
        _inner.SameContentAsync(present, open, cancellationToken);

    public ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken) =>
        _inner.PutAsync(key, open, length, sourceEtag, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _listing.ConfigureAwait(false); // never throws: its end is the queue's
        _stop.Dispose();
        await _inner.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ListAheadAsync()
    {
        try
        {
            await foreach (var item in _inner.ListAsync(_stop.Token).ConfigureAwait(false))
            {
                await _listed.Writer.WriteAsync(item, _stop.Token).ConfigureAwait(false);
            }

            _listed.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _listed.Writer.TryComplete(e); // for the reader, whatever it is; the task itself ends quietly
        }
    }
}
