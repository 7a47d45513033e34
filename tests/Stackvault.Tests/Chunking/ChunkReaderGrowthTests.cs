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
}
