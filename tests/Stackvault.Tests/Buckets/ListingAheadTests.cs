using System.Runtime.CompilerServices;
using Stackvault.Buckets;
using Stackvault.Errors;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// <see cref="ListingAhead"/>: the listing starts when the store is made (the repository opens meanwhile), the first
/// reader gets every object in order, an error of the listing reaches it as thrown, later readers list afresh, and
/// disposing stops a listing that nobody reads (one held at the queue's capacity) and disposes the store.
/// </summary>
public sealed class ListingAheadTests
{
    [Fact]
    public async Task Listing_StartsBeforeAnyoneAsks_FirstReaderGetsEveryObjectInOrder_LaterReadersListAfresh()
    {
        var inner = new CountingStore(2_500);
        await using var store = new ListingAhead(inner);

        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(30)); // nobody has called ListAsync yet
        await inner.Finished.Task.WaitAsync(TimeSpan.FromSeconds(30)); // and all of it is waiting in the queue
        var first = await ToListAsync(store);
        var second = await ToListAsync(store);

        Assert.Equal(Enumerable.Range(0, 2_500).Select(CountingStore.Key), first.Select(o => o.Key));
        Assert.Equal(first.Select(o => o.Key), second.Select(o => o.Key));
        Assert.Equal(2, inner.Listings);
    }

    [Fact]
    public async Task ListingError_ReachesTheFirstReaderAsThrown_AfterTheObjectsBeforeIt()
    {
        var inner = new CountingStore(10, failAfter: 3);
        await using var store = new ListingAhead(inner);
        var seen = new List<string>();

        var error = await Assert.ThrowsAsync<StackvaultException>(async () =>
        {
            await foreach (var item in store.ListAsync(CancellationToken.None))
            {
                seen.Add(item.Key);
            }
        });

        Assert.Equal("listing broke off", error.Message);
        Assert.Equal([CountingStore.Key(0), CountingStore.Key(1), CountingStore.Key(2)], seen);
    }

    [Fact]
    public async Task Dispose_StopsAListingNobodyReads_HeldAtCapacity_AndDisposesTheStore()
    {
        var inner = new CountingStore(ListingAhead.Capacity * 3);
        var store = new ListingAhead(inner);
        await inner.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        while (inner.Yielded < ListingAhead.Capacity)
        {
            await Task.Delay(10);
        }

        await store.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(inner.Yielded, ListingAhead.Capacity, ListingAhead.Capacity + 2); // held at the queue's bound
        Assert.False(inner.Finished.Task.IsCompleted);
        Assert.True(inner.Disposed);
    }

    private static async Task<List<BucketObject>> ToListAsync(IBucketStore store)
    {
        var list = new List<BucketObject>();
        await foreach (var item in store.ListAsync(CancellationToken.None))
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>A store that lists <c>count</c> objects, saying when a listing starts and ends.</summary>
    private sealed class CountingStore(int count, int failAfter = -1) : IBucketStore
    {
        private int _yielded;
        private int _listings;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Yielded => Volatile.Read(ref _yielded);

        public int Listings => Volatile.Read(ref _listings);

        public bool Disposed { get; private set; }

        public string Location => "counting";

        public static string Key(int i) => $"t1/{i:D6}/meta.json";

        public async IAsyncEnumerable<BucketObject> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _listings);
            Started.TrySetResult();
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (i == failAfter)
                {
                    throw new StackvaultException("listing broke off");
                }

                if (i % 500 == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Increment(ref _yielded);
                yield return new BucketObject(Key(i), i, DateTimeOffset.UnixEpoch, null);
            }

            Finished.TrySetResult();
        }

        public ValueTask<Stream> OpenReadAsync(string key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<bool> SameContentAsync(BucketObject present, Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<string?> PutAsync(string key, Func<CancellationToken, ValueTask<Stream>> open, long length, string? sourceEtag, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
