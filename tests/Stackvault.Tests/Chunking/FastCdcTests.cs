using System.Security.Cryptography;
using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

public class FastCdcTests
{
    private static readonly byte[] Data4MiB = ChunkingTestData.Random(4 << 20);

    [Fact]
    public void NextChunkLength_SameSeed_SameCuts()
    {
        var a = ChunkingTestData.CutOffsets(new FastCdc(7, ChunkingTestData.Small), Data4MiB);
        var b = ChunkingTestData.CutOffsets(new FastCdc(7, ChunkingTestData.Small), Data4MiB);
        Assert.Equal(a, b);
    }

    [Fact]
    public void NextChunkLength_DifferentSeed_DifferentCuts()
    {
        var a = ChunkingTestData.CutOffsets(new FastCdc(7, ChunkingTestData.Small), Data4MiB);
        var b = ChunkingTestData.CutOffsets(new FastCdc(8, ChunkingTestData.Small), Data4MiB);
        Assert.True(a.Intersect(b).Count() < a.Count / 10, "another seed must give (almost) unrelated cut points");
    }

    [Theory]
    [InlineData(64, 256, 1024)]
    [InlineData(1, 4, 5)]
    [InlineData(524288, 1048576, 8388608)]
    public void NextChunkLength_AllButLast_WithinMinAndMax(int min, int avg, int max)
    {
        var cuts = ChunkingTestData.CutOffsets(new FastCdc(1, new ChunkerParameters(min, avg, max)), Data4MiB);
        var lengths = cuts.Zip(cuts.Prepend(0), (end, start) => end - start).ToList();
        Assert.All(lengths[..^1], length => Assert.InRange(length, min, max));
        Assert.InRange(lengths[^1], 1, max);
        Assert.Equal(Data4MiB.Length, cuts[^1]);
    }

    /// <summary>
    /// The reader cuts from windows shorter than MaxSize: a cut found in any prefix must be the full window's cut, and
    /// a prefix that ends before the cut must say "read more", never cut early.
    /// </summary>
    [Fact]
    public void TryNextChunkLength_EveryPrefixOfAWindow_AgreesWithTheFullWindowOrAsksForMore()
    {
        var chunker = new FastCdc(3, ChunkingTestData.Small);
        var data = Data4MiB.AsSpan(12_345, 200_000);
        var checkedCuts = 0;
        for (var start = 0; start + chunker.Parameters.MaxSize <= data.Length && checkedCuts < 50; checkedCuts++)
        {
            var window = data[start..];
            var expected = chunker.NextChunkLength(window[..chunker.Parameters.MaxSize], isFinal: false);
            for (var prefix = 0; prefix < chunker.Parameters.MaxSize; prefix++)
            {
                var found = chunker.TryNextChunkLength(window[..prefix], isFinal: false, out var length);
                Assert.Equal(prefix >= expected && expected < chunker.Parameters.MaxSize, found);
                Assert.Equal(found ? expected : 0, length);
            }

            start += expected;
        }

        Assert.Equal(50, checkedCuts);
    }

    [Fact]
    public void NextChunkLength_ZeroBytes_LongestChunks()
    {
        var zeros = new byte[3 << 20];
        var cuts = ChunkingTestData.CutOffsets(new FastCdc(1, ChunkerParameters.Default), zeros);
        Assert.Equal(zeros.Length, cuts[^1]);
        Assert.All(cuts.Zip(cuts.Prepend(0), (end, start) => end - start), length => Assert.InRange(length, 524288, 8388608));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    public void NextChunkLength_FinalWindowUpToMinSize_WholeWindow(int length)
    {
        Assert.Equal(length, new FastCdc(1, ChunkingTestData.Small).NextChunkLength(new byte[length], isFinal: true));
    }

    [Fact]
    public void NextChunkLength_ShortNonFinalWindow_Throws()
    {
        Assert.Throws<ArgumentException>(() => new FastCdc(1, ChunkingTestData.Small).NextChunkLength(new byte[1023], isFinal: false));
    }

    [Fact]
    public void NextChunkLength_LongNonFinalWindow_SameAsExactMaxWindow()
    {
        var chunker = new FastCdc(9, ChunkingTestData.Small);
        for (var start = 0; start < 100_000; start += 997)
        {
            Assert.Equal(
                chunker.NextChunkLength(Data4MiB.AsSpan(start, 1024), isFinal: false),
                chunker.NextChunkLength(Data4MiB.AsSpan(start), isFinal: false));
        }
    }

    [Fact]
    public void NextChunkLength_TenBytesInsertedAtStart_LaterChunksShared()
    {
        var original = ChunkingTestData.Random(32 << 20, seed: 5);
        var shifted = new byte[original.Length + 10];
        original.CopyTo(shifted, 10);
        var chunker = new FastCdc(77, ChunkerParameters.Default);

        var originalChunks = ChunkHashes(chunker, original).ToHashSet();
        var shiftedChunks = ChunkHashes(chunker, shifted);
        var shared = shiftedChunks.Count(originalChunks.Contains);
        Assert.True(shared >= shiftedChunks.Count - 2, $"{shared} of {shiftedChunks.Count} chunks shared");
    }

    [Fact]
    public void NextChunkLength_64MiBRandom_AverageNearAvgSize()
    {
        var data = ChunkingTestData.Random(64 << 20, seed: 6);
        var count = ChunkingTestData.CutOffsets(new FastCdc(1234, ChunkerParameters.Default), data).Count;
        var average = (double)data.Length / count;
        Assert.InRange(average, 0.7 * 1048576, 1.3 * 1048576);
    }

    private static List<string> ChunkHashes(FastCdc chunker, byte[] data)
    {
        var cuts = ChunkingTestData.CutOffsets(chunker, data);
        return cuts.Zip(cuts.Prepend(0), (end, start) => Convert.ToHexString(SHA256.HashData(data.AsSpan(start, end - start)))).ToList();
    }
}
