using Stackvault.Buffers;

namespace Stackvault.Tests.Buffers;

/// <summary>
/// The fixed ring of buffers in flight: live slices never share a byte, their bytes never exceed the capacity, space
/// given back in any order is reused, the array is touched only as far as the most bytes in flight at once, waiters
/// are served in arrival order, and a cancelled waiter leaves.
/// </summary>
public sealed class ByteRingTests
{
    [Fact]
    public async Task Take_ManyAtOnceGivenBackOutOfOrder_LiveSlicesNeverOverlap_BytesNeverExceedTheCapacity()
    {
        var ring = new ByteRing(1000);
        long held = 0, peak = 0;
        var sizes = Enumerable.Range(0, 400).Select(i => (i * 97 % 300) + 1).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, sizes.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var lease = await ring.TakeAsync(sizes[i], ct);
            var now = Interlocked.Add(ref held, sizes[i]);
            InterlockedMax(ref peak, now);
            lease.Memory.Span.Fill((byte)i); // another live slice over these bytes would change them
            await Task.Delay(i % 3, ct);
            Assert.All(lease.Memory.ToArray(), b => Assert.Equal((byte)i, b));
            Interlocked.Add(ref held, -sizes[i]);
        });

        Assert.InRange(peak, sizes.Max(), 1000);
        Assert.InRange(ring.PeakBytesInUse, sizes.Max(), 1000);
        Assert.Equal(0, ring.BytesInUse);
    }

    [Fact]
    public async Task Take_Full_WaitsUntilEnoughContiguousBytesAreGivenBack_ThenReusesThem()
    {
        var ring = new ByteRing(100);
        var first = await ring.TakeAsync(60, CancellationToken.None);
        var second = await ring.TakeAsync(40, CancellationToken.None);
        var third = ring.TakeAsync(50, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);

        second.Dispose(); // 40 bytes free: not enough for 50
        await Task.Delay(20);
        Assert.False(third.IsCompleted);

        first.Dispose();
        using var lease = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(50, lease.Memory.Length);
        Assert.Equal(50, ring.BytesInUse);
    }

    [Fact]
    public async Task Take_OneAtATime_TouchesOnlyThePartOfTheArrayInUse()
    {
        var ring = new ByteRing(1000);
        for (var i = 0; i < 50; i++)
        {
            using var lease = await ring.TakeAsync(100, CancellationToken.None);
        }

        using (await ring.TakeAsync(100, CancellationToken.None))
        using (await ring.TakeAsync(150, CancellationToken.None))
        {
        }

        Assert.Equal(250, ring.HighWater); // a ring cycling through the array would have touched all 1000 bytes
    }

    [Fact]
    public async Task Take_LargeRequestWaiting_SmallerLaterRequestWaitsBehindIt()
    {
        var ring = new ByteRing(100);
        var first = await ring.TakeAsync(70, CancellationToken.None);
        var large = ring.TakeAsync(90, CancellationToken.None).AsTask();
        var small = ring.TakeAsync(10, CancellationToken.None).AsTask(); // fits now, but waits behind the large one
        await Task.Delay(20);
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        var largeLease = await large.WaitAsync(TimeSpan.FromSeconds(10));
        var smallLease = await small.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(100, ring.BytesInUse);
        largeLease.Dispose();
        smallLease.Dispose();
        Assert.Equal(0, ring.BytesInUse);
    }

    [Fact]
    public async Task Take_CancelledWhileWaiting_Throws_AndTheWaiterBehindIsServed()
    {
        var ring = new ByteRing(100);
        using var first = await ring.TakeAsync(50, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var large = ring.TakeAsync(80, cts.Token).AsTask();
        var small = ring.TakeAsync(30, CancellationToken.None).AsTask();
        Assert.False(small.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);
        using var smallLease = await small.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(80, ring.BytesInUse);
    }

    [Fact]
    public async Task Take_MoreThanTheCapacity_Throws()
    {
        var ring = new ByteRing(100);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ring.TakeAsync(101, CancellationToken.None).AsTask());
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
