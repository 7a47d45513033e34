using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

public class ChunkReaderTests
{
    /// <summary>
    /// With a ring, the chunks a reader hands out live in it: once the chunks not yet disposed fill the ring, the
    /// next chunk waits until one is disposed (the bytes in flight never exceed the ring), and the cuts stay the same.
    /// </summary>
    [Fact]
    public async Task NextAsync_WithRing_ChunksHeldFillTheRing_NextWaitsUntilOneIsDisposed()
    {
        var data = ChunkingTestData.Random(20_000);
        var chunker = new FastCdc(5, ChunkingTestData.Small);
        var ring = new Stackvault.Buffers.ByteRing(3 * ChunkingTestData.Small.MaxSize);
        using var reader = new ChunkReader(new MemoryStream(data), chunker, leaveOpen: false, ring);
        var held = new Queue<Chunk>();
        var output = new MemoryStream();
        var waited = 0;
        while (true)
        {
            var next = reader.NextAsync(CancellationToken.None).AsTask();
            await Task.WhenAny(next, Task.Delay(50));
            if (!next.IsCompleted)
            {
                // it may only wait when the chunks held leave no room for a chunk of up to MaxSize
                Assert.True(ring.Capacity - held.Sum(c => c.Length) < ChunkingTestData.Small.MaxSize * 2, "waited with room in the ring");
                waited++;
            }

            while (!next.IsCompleted && held.TryDequeue(out var oldest))
            {
                output.Write(oldest.Data.Span);
                oldest.Dispose();
                await Task.WhenAny(next, Task.Delay(20));
            }

            if (await next.WaitAsync(TimeSpan.FromSeconds(10)) is not { } chunk)
            {
                break;
            }

            held.Enqueue(chunk);
            Assert.True(held.Sum(c => c.Length) <= ring.Capacity);
            Assert.True(ring.BytesInUse <= ring.Capacity);
        }

        while (held.TryDequeue(out var chunk))
        {
            output.Write(chunk.Data.Span);
            chunk.Dispose();
        }

        Assert.True(waited > 5, $"the reader waited {waited} times");
        Assert.Equal(data, output.ToArray());
        Assert.Equal(0, ring.BytesInUse);
    }

    [Theory]
    [InlineData(100_000, 777)]
    [InlineData(3000, 1 << 20)]
    [InlineData(1, 1)]
    public async Task NextAsync_TricklingStream_SameCutsAsFastCdcAndConcatenatesToInput(int length, int step)
    {
        var data = ChunkingTestData.Random(length);
        var chunker = new FastCdc(5, ChunkingTestData.Small);
        using var reader = new ChunkReader(new TrickleStream(data, step), chunker);

        var output = new MemoryStream();
        var cuts = new List<int>();
        while (await reader.NextAsync(CancellationToken.None) is { } chunk)
        {
            using (chunk)
            {
                Assert.Equal(output.Length, chunk.Offset);
                output.Write(chunk.Data.Span);
                cuts.Add((int)output.Length);
            }
        }

        Assert.Equal(data, output.ToArray());
        Assert.Equal(ChunkingTestData.CutOffsets(chunker, data), cuts);
        Assert.Equal(length, reader.Position);
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    /// <summary>
    /// Default parameters (8 MiB maximum): the buffer is one MaxSize, so most chunks are cut from a partly consumed
    /// buffer and the unread tail is moved and refilled many times; the cuts must still be the reference's.
    /// </summary>
    [Fact]
    public async Task NextAsync_DefaultParameters_BufferRefilledManyTimes_SameCutsAsFastCdc()
    {
        var data = ChunkingTestData.Random(40 << 20);
        Array.Clear(data, 10 << 20, 9 << 20); // a run of zeros: chunks of MaxSize
        var chunker = new FastCdc(9, ChunkerParameters.Default);
        using var reader = new ChunkReader(new TrickleStream(data, 3 << 20), chunker);
        var cuts = new List<int>();
        long total = 0;
        while (await reader.NextAsync(CancellationToken.None) is { } chunk)
        {
            using (chunk)
            {
                Assert.True(chunk.Data.Span.SequenceEqual(data.AsSpan((int)total, chunk.Length)));
                total += chunk.Length;
                cuts.Add((int)total);
            }
        }

        Assert.Equal(ChunkingTestData.CutOffsets(chunker, data), cuts);
        Assert.Contains(cuts.Zip(cuts.Prepend(0), (end, start) => end - start), length => length == ChunkerParameters.Default.MaxSize);
    }

    [Fact]
    public void Next_DefaultParameters20MiB_SameCutsAsFastCdc()
    {
        var data = ChunkingTestData.Random(20 << 20);
        var chunker = new FastCdc(5, ChunkerParameters.Default);
        using var reader = new ChunkReader(new MemoryStream(data), chunker);
        var cuts = new List<int>();
        while (reader.Next() is { } chunk)
        {
            cuts.Add((int)chunk.Offset + chunk.Length);
            Assert.True(data.AsSpan((int)chunk.Offset, chunk.Length).SequenceEqual(chunk.Data.Span));
            chunk.Dispose();
        }

        Assert.Equal(ChunkingTestData.CutOffsets(chunker, data), cuts);
    }

    [Fact]
    public async Task NextAsync_EmptyStream_ReturnsNull()
    {
        using var reader = new ChunkReader(new MemoryStream(), new FastCdc(1, ChunkingTestData.Small));
        Assert.Null(await reader.NextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task NextAsync_Cancelled_Throws()
    {
        using var reader = new ChunkReader(new MemoryStream(new byte[10]), new FastCdc(1, ChunkingTestData.Small));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.NextAsync(new CancellationToken(true)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dispose_LeaveOpen_ControlsStream(bool leaveOpen)
    {
        var stream = new TrickleStream([1, 2, 3], 1);
        new ChunkReader(stream, new FastCdc(1, ChunkingTestData.Small), leaveOpen).Dispose();
        Assert.Equal(!leaveOpen, stream.Disposed);
    }

    [Fact]
    public void ChunkData_AfterDispose_Throws()
    {
        var chunk = new Chunk([1, 2, 3], 10);
        Assert.Equal(new byte[] { 1, 2, 3 }, chunk.Data.ToArray());
        chunk.Dispose();
        chunk.Dispose();
        Assert.Throws<ObjectDisposedException>(() => chunk.Data);
    }
}
