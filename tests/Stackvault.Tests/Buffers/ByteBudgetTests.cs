using Stackvault.Buffers;

namespace Stackvault.Tests.Buffers;

/// <summary>The bytes-in-flight bound (a ConcurrencyLimiter of bytes): the peak, order, cancellation, and requests above the capacity.</summary>
public sealed class ByteBudgetTests
{
    [Fact]
    public async Task Take_ManyAtOnce_BytesHeldNeverExceedTheCapacity()
    {
        using var budget = new ByteBudget(100);
        long held = 0, peak = 0;
        var sizes = Enumerable.Range(0, 40).Select(i => (long)((i * 37 % 60) + 1)).ToList();
        await Parallel.ForEachAsync(sizes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (size, ct) =>
        {
            using (await budget.TakeAsync(size, ct))
            {
                var now = Interlocked.Add(ref held, size);
                InterlockedMax(ref peak, now);
                await Task.Yield();
                Interlocked.Add(ref held, -size);
            }
        });

        Assert.InRange(peak, sizes.Max(), 100);
        Assert.Equal(0, held);
    }

    [Fact]
    public async Task Take_BeyondCapacity_WaitsUntilGivenBack_InArrivalOrder()
    {
        using var budget = new ByteBudget(10);
        var first = await budget.TakeAsync(6, CancellationToken.None);
        var large = budget.TakeAsync(8, CancellationToken.None).AsTask();
        var small = budget.TakeAsync(1, CancellationToken.None).AsTask(); // fits now, but waits behind the large one

        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        first.Dispose(); // once only
        using var second = await large;
        using var third = await small;
        Assert.False(budget.TakeAsync(2, CancellationToken.None).AsTask().IsCompleted); // 9 of 10 held
    }

    /// <summary>
    /// A cancelled waiter leaves at once and is never served; the waiter behind it is served at the next give-back
    /// (the limiter looks at its queue only when bytes come back; a waiter is only queued while someone holds bytes,
    /// so that give-back always comes). Every wait is bounded, so a hang fails this test rather than the whole run.
    /// </summary>
    [Fact]
    public async Task Take_CancelledWaiter_IsNeverServed_TheNextOneIsAtTheNextGiveBack_AndAboveCapacityTakesAll()
    {
        var guard = TimeSpan.FromSeconds(30);
        using var budget = new ByteBudget(10);
        var held = await budget.TakeAsync(4, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.TakeAsync(100, cancel.Token).AsTask(); // more than the capacity: waits for all of it
        var behind = budget.TakeAsync(2, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WaitAsync(guard));
        Assert.False(behind.IsCompleted);

        held.Dispose();
        var second = await behind.WaitAsync(guard); // the cancelled request's 10 bytes were not handed out
        Assert.False(budget.TakeAsync(9, CancellationToken.None).AsTask().IsCompleted); // 2 of 10 held
        second.Dispose();
    }

    [Fact]
    public async Task Take_AboveCapacity_TakesAll()
    {
        var guard = TimeSpan.FromSeconds(30);
        using var budget = new ByteBudget(10);
        using var all = await budget.TakeAsync(100, CancellationToken.None).AsTask().WaitAsync(guard);
        Assert.False(budget.TakeAsync(1, CancellationToken.None).AsTask().IsCompleted);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4097, 8192)]
    [InlineData((5 << 20) + 1, 8 << 20)]
    [InlineData(16 << 20, 16 << 20)]
    public void PooledCost_IsThePoolsPowerOfTwoArray(long length, long cost) => Assert.Equal(cost, ByteBudget.PooledCost(length));

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) is var now && now != seen)
        {
            seen = now;
        }
    }
}
