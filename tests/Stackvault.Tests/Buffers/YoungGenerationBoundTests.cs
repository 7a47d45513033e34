using Stackvault.Buffers;
using Stackvault.Tests.Locking;

namespace Stackvault.Tests.Buffers;

/// <summary>No other test runs beside these: the GC's counts and allocations are the whole process's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GcAloneCollection
{
    public const string Name = "the GC alone";
}

/// <summary>
/// <see cref="YoungGenerationBound"/> asks for a gen-0 collection once <see cref="YoungGenerationBound.Budget"/> was
/// allocated since the last one, and not otherwise. The allocations are made inside a no-GC region, so the runtime
/// cannot collect on its own meanwhile and a collection seen afterwards is the bound's.
/// </summary>
[Collection(GcAloneCollection.Name)]
public sealed class YoungGenerationBoundTests
{
    private const long Region = 64L * 1024 * 1024;

    [Fact]
    public void Check_BudgetAllocatedSinceTheLastCollection_CollectsGen0Once()
    {
        var time = new ManualTimeProvider();
        using var bound = new YoungGenerationBound(time);
        AllocateWithoutCollections(bound, YoungGenerationBound.Budget + (1 << 20));
        var before = GC.CollectionCount(0);

        bound.Check();
        bound.Check(); // nothing allocated since: no second collection

        Assert.Equal(1, bound.Collections);
        Assert.True(GC.CollectionCount(0) > before, "no gen-0 collection happened");
    }

    [Fact]
    public void Check_LessThanTheBudgetAllocated_DoesNotCollect()
    {
        var time = new ManualTimeProvider();
        using var bound = new YoungGenerationBound(time);
        AllocateWithoutCollections(bound, YoungGenerationBound.Budget / 4);

        bound.Check();

        Assert.Equal(0, bound.Collections);
    }

    [Fact]
    public void Check_TheRuntimeCollectedByItself_CountsFromThere()
    {
        var time = new ManualTimeProvider();
        using var bound = new YoungGenerationBound(time);
        AllocateWithoutCollections(bound, YoungGenerationBound.Budget + (1 << 20));
        GC.Collect(0);

        bound.Check();

        Assert.Equal(0, bound.Collections);
    }

    [Fact]
    public void Timer_EveryInterval_LooksAtTheAllocations()
    {
        var time = new ManualTimeProvider();
        using var bound = new YoungGenerationBound(time);
        AllocateWithoutCollections(bound, YoungGenerationBound.Budget + (1 << 20));

        time.Advance(YoungGenerationBound.Interval);

        Assert.Equal(1, bound.Collections);
    }

    /// <summary>Allocates <paramref name="bytes"/> in small arrays (gen 0, not the large-object heap) with collections held off.</summary>
    private static void AllocateWithoutCollections(YoungGenerationBound bound, long bytes)
    {
        Assert.True(GC.TryStartNoGCRegion(Region), "no no-GC region");
        bound.Check(); // starting the region collected: the bound counts from here
        var kept = new List<byte[]>();
        for (long made = 0; made < bytes; made += 4096)
        {
            kept.Add(new byte[4096 - 32]);
        }

        GC.KeepAlive(kept);
        GC.EndNoGCRegion(); // throws if anything collected meanwhile
    }
}
