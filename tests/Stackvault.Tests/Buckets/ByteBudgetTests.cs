using Stackvault.Buckets;

namespace Stackvault.Tests.Buckets;

/// <summary>The bytes-in-flight bound of bucket transfers: waits, order, cancellation, and requests above the capacity.</summary>
public sealed class ByteBudgetTests
{
    [Fact]
    public async Task Take_BeyondCapacity_WaitsUntilGivenBack_InArrivalOrder()
    {
        var budget = new ByteBudget(10);
        var first = await budget.TakeAsync(6, CancellationToken.None);
        var large = budget.TakeAsync(8, CancellationToken.None).AsTask();
        var small = budget.TakeAsync(1, CancellationToken.None).AsTask(); // fits now, but waits behind the large one

        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);
        Assert.Equal(6, budget.InFlight);

        first.Dispose();
        first.Dispose(); // once only
        using var second = await large;
        using var third = await small;
        Assert.Equal(9, budget.InFlight);
        Assert.Equal(9, budget.Peak);
    }

    [Fact]
    public async Task Take_CancelledWaiter_NoLongerHoldsBackTheOthers_AndAboveCapacityTakesAll()
    {
        var budget = new ByteBudget(10);
        var held = await budget.TakeAsync(4, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var blocked = budget.TakeAsync(100, cancel.Token).AsTask(); // more than the capacity: waits for all of it
        var behind = budget.TakeAsync(2, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
        using (await behind)
        {
            Assert.Equal(6, budget.InFlight);
        }

        held.Dispose();
        using var all = await budget.TakeAsync(100, CancellationToken.None);
        Assert.Equal(10, all.Bytes);
        Assert.Equal(0, budget.InFlight - all.Bytes);
    }

    [Theory]
    [InlineData(1, 4096)]
    [InlineData(4097, 8192)]
    [InlineData((5 << 20) + 1, 8 << 20)]
    [InlineData(16 << 20, 16 << 20)]
    public void PooledCost_IsThePoolsPowerOfTwoArray(long length, long cost) => Assert.Equal(cost, ByteBudget.PooledCost(length));
}
