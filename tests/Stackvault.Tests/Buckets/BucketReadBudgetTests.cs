using Stackvault.Buffers;
using Stackvault.Chunking;
using Stackvault.Buckets;
using Stackvault.Tests.Support;

namespace Stackvault.Tests.Buckets;

/// <summary>
/// Bucket backup bounds the bytes of read buffers in flight (<see cref="BucketPlan.ReadBudget"/>), not only the
/// number of objects: large objects are opened only while their chunker buffer fits, small ones cost their size, and
/// every opened stream reports the listed length (so the chunker sizes its buffer to the object).
/// </summary>
public sealed class BucketReadBudgetTests
{
    private const int Large = (5 << 20) + 1; // the chunker's first buffer for it: 2 MiB from the pool

    [Fact]
    public async Task Open_LargeObjects_OnlyAsManyAsTheReadBudgetHolds_NextOneOpensWhenOneIsDisposed()
    {
        using var temp = new TempDirectory();
        var fit = (int)(BucketPlan.ReadBudget / BucketPlan.ReadCost(Large, ChunkerParameters.Default));
        Assert.Equal(8, fit); // eight large objects are read at once (their MD5s side by side in lanes)
        for (var i = 0; i <= fit; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(temp.Path, $"large-{i}"), new byte[Large]);
        }

        await File.WriteAllTextAsync(Path.Combine(temp.Path, "small"), "tiny");
        await using var store = new DirectoryBucketStore(temp.Path);
        var plan = await BucketPlan.CreateAsync("b", store, new BucketScanOptions { Layout = BucketLayout.Generic }, TimeProvider.System, parent: null, chunker: null, CancellationToken.None);
        var files = plan.Source.Files!;
        var large = files.Where(f => f.RelativePath.StartsWith("large-", StringComparison.Ordinal)).ToList();

        var opened = new List<Stream>();
        for (var i = 0; i < fit; i++)
        {
            opened.Add(await large[i].Open(CancellationToken.None));
        }

        var waiting = large[fit].Open(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted); // the budget is spent: not handed to the chunker yet
        Assert.All(opened, s => Assert.Equal(Large, s.Length));

        var small = files.Single(f => f.RelativePath == "small").Open(CancellationToken.None).AsTask();
        Assert.False(small.IsCompleted); // first come, first served: behind the waiting large one

        await opened[0].DisposeAsync();
        var next = await waiting;
        Assert.Equal(Large, next.Length);
        foreach (var stream in opened.Skip(1).Append(next))
        {
            await stream.DisposeAsync();
        }

        await using var tiny = await small;
        Assert.Equal(4, tiny.Length);
        Assert.Equal("tiny", await new StreamReader(tiny).ReadToEndAsync());
    }

    [Theory]
    [InlineData(2_000, 4 << 10)] // a meta.json: its own size, at least 4 KiB
    [InlineData(64 << 10, 128 << 10)] // an index: its size plus one byte, rounded up to a power of two
    [InlineData((1 << 20) + 1, 2 << 20)] // above 1 MiB: the start buffer, twice the average chunk
    [InlineData((5 << 20) + 1, 2 << 20)]
    [InlineData(512L << 20, 2 << 20)] // a TSDB chunk file far above the maximum chunk: the chunker's buffer, not the object
    public void ReadCost_IsTheChunkerBuffer_NotTheObjectSize(long size, long cost)
    {
        Assert.Equal(cost, BucketPlan.ReadCost(size, ChunkerParameters.Default));
    }
}
