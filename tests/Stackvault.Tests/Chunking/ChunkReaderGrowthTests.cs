using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

public class ChunkReaderGrowthTests
{
    /// <summary>A stream that reports a short length but delivers more bytes: a live file growing while it is read.</summary>
    private sealed class GrowingStream(byte[] data, int reportedLength) : MemoryStream(data)
    {
        public override long Length => Math.Min(reportedLength, base.Length);
    }

    [Fact]
    public async Task NextAsync_FileGrowsBeyondItsInitialLength_ChunksAreTheSameAsForTheWholeFile()
    {
        var parameters = new ChunkerParameters(64, 256, 1024);
        var chunker = new FastCdc(42, parameters);
        var data = new byte[100_000];
        new Random(3).NextBytes(data);

        async Task<List<(long, int)>> Cuts(Stream stream)
        {
            using var reader = new ChunkReader(stream, chunker);
            var cuts = new List<(long, int)>();
            while (await reader.NextAsync(CancellationToken.None) is { } chunk)
            {
                using (chunk)
                {
                    cuts.Add((chunk.Offset, chunk.Length));
                }
            }

            return cuts;
        }

        var expected = await Cuts(new MemoryStream(data));
        var growing = await Cuts(new GrowingStream(data, 500));
        Assert.Equal(expected, growing);
        Assert.Equal(data.Length, growing.Sum(c => c.Item2));
    }

    /// <summary>
    /// Default parameters: a stream longer than 1 MiB starts with a 2 MiB buffer (twice the average chunk), which
    /// holds every usual chunk; a run of zeros (maximum-size chunks) swaps it for an 8 MiB one, which goes back to
    /// 2 MiB once usual chunks follow. The cuts stay the reference's throughout, seekable stream or not.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NextAsync_LongChunks_BufferSwappedUpForThemAndBackAfter_CutsUnchanged(bool seekable)
    {
        var parameters = ChunkerParameters.Default;
        var data = ChunkingTestData.Random(48 << 20);
        const int ZerosAt = 12 << 20, ZerosLength = 17 << 20;
        Array.Clear(data, ZerosAt, ZerosLength);
        var chunker = new FastCdc(9, parameters);
        Stream stream = seekable ? new MemoryStream(data) : new TrickleStream(data, 5 << 20);
        using var reader = new ChunkReader(stream, chunker);
        Assert.Equal(2 << 20, reader.HeldLength);

        var held = new List<(long Offset, int Length, int Held)>();
        while (await reader.NextAsync(CancellationToken.None) is { } chunk)
        {
            using (chunk)
            {
                Assert.True(chunk.Data.Span.SequenceEqual(data.AsSpan((int)chunk.Offset, chunk.Length)));
                held.Add((chunk.Offset, chunk.Length, reader.HeldLength));
            }
        }

        Assert.Equal(ChunkingTestData.CutOffsets(chunker, data), held.Select(c => (int)(c.Offset + c.Length)));
        const int Start = 2 << 20;
        var longs = held.Where(c => c.Length > Start).ToList();
        Assert.Contains(longs, c => c.Length == parameters.MaxSize && c.Offset >= ZerosAt);
        Assert.All(longs, c => Assert.Equal(parameters.MaxSize, c.Held)); // a long chunk is cut from a full-size buffer
        Assert.All(held.TakeWhile(c => c.Length <= Start), c => Assert.Equal(Start, c.Held)); // usual chunks: the start size

        // Once the full-size buffer's bytes are used up after the last long chunk, it is back to the start size.
        var back = held.Where(c => c.Offset >= longs.Where(l => l.Offset < c.Offset).Select(l => l.Offset + l.Length).DefaultIfEmpty(0).Max() + parameters.MaxSize + Start).ToList();
        Assert.True(back.Count >= 5, $"{back.Count} chunks far enough after a long one");
        Assert.All(back, c => Assert.Equal(Start, c.Held));
    }

    /// <summary>
    /// With a budget of one full-size buffer, a second reader that meets a long chunk waits until the first one gives
    /// its full-size buffer back (back to the start size after usual chunks, or disposed), then cuts as usual.
    /// </summary>
    [Fact]
    public async Task NextAsync_FullBufferBudget_SecondLongChunkWaitsForTheFirstToGiveItBack()
    {
        var parameters = ChunkerParameters.Default;
        using var budget = new Stackvault.Buffers.ByteBudget(ChunkReader.FullBufferCost(parameters));
        var chunker = new FastCdc(9, parameters);
        var first = ChunkingTestData.Random(40 << 20);
        Array.Clear(first, 0, 8 << 20); // a maximum-size chunk first, then usual ones
        var zeros = new byte[20 << 20];

        using var a = new ChunkReader(new MemoryStream(first), chunker, fullBuffers: budget);
        using (var chunk = await a.NextAsync(CancellationToken.None))
        {
            Assert.Equal(parameters.MaxSize, chunk!.Length);
        }

        var b = new ChunkReader(new MemoryStream(zeros), chunker, fullBuffers: budget);
        var waiting = b.NextAsync(CancellationToken.None).AsTask();
        await Task.WhenAny(waiting, Task.Delay(200));
        Assert.False(waiting.IsCompleted); // the one full-size buffer is a's

        var cutsA = new List<int> { parameters.MaxSize };
        while (a.HeldLength != 2 << 20 && await a.NextAsync(CancellationToken.None) is { } chunk)
        {
            using (chunk)
            {
                cutsA.Add((int)(chunk.Offset + chunk.Length));
            }
        }

        Assert.Equal(2 << 20, a.HeldLength); // a went back to the start size after usual chunks, which lets b go on
        using (var chunk = await waiting)
        {
            Assert.Equal(parameters.MaxSize, chunk!.Length);
        }

        Assert.Equal(ChunkingTestData.CutOffsets(chunker, first).Take(cutsA.Count), cutsA);

        // b holds it now: a third reader waits until b is disposed.
        using var c = new ChunkReader(new MemoryStream(zeros), chunker, fullBuffers: budget);
        var third = c.NextAsync(CancellationToken.None).AsTask();
        await Task.WhenAny(third, Task.Delay(200));
        Assert.False(third.IsCompleted);
        b.Dispose();
        using (var chunk = await third)
        {
            Assert.Equal(parameters.MaxSize, chunk!.Length);
        }
    }
}
