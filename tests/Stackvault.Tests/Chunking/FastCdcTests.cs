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

    /// <summary>
    /// The chunker hashes blocks of four lanes side by side; its cuts must be those of the format's definition, one
    /// byte at a time (design.md): parameters whose masks cut every few KiB put first cuts in every lane of a block,
    /// in its warm-up span and on its edges, and runs of zeros carry the fingerprint across whole blocks uncut.
    /// </summary>
    [Theory]
    [InlineData(1, 1024, 65536, 11)]
    [InlineData(100, 4096, 200_000, 12)]
    [InlineData(5000, 16384, 300_000, 13)]
    [InlineData(20_000, 65536, 1 << 20, 14)]
    [InlineData(524288, 1048576, 8388608, 15)]
    public void NextChunkLength_LanesOfABlock_SameCutsAsTheDefinitionByteByByte(int min, int avg, int max, int seed)
    {
        var data = ChunkingTestData.Random(12 << 20, seed);
        var random = new Random(seed);
        for (var run = 0; run < 24; run++)
        {
            data.AsSpan(random.Next(data.Length - 70_000), random.Next(1, 70_000)).Clear(); // runs of zeros: no cut
        }

        var parameters = new ChunkerParameters(min, avg, max);
        var chunker = new FastCdc((ulong)seed, parameters);
        var gear = GearTable.Create((ulong)seed);
        var expected = new List<int>();
        for (var offset = 0; offset < data.Length;)
        {
            offset += CutByDefinition(data.AsSpan(offset), gear, parameters);
            expected.Add(offset);
        }

        Assert.True(expected.Count > 10, $"{expected.Count} chunks");
        Assert.Equal(expected, ChunkingTestData.CutOffsets(chunker, data));
    }

    /// <summary>design.md's cut, one byte at a time, for a window that ends at the end of the input.</summary>
    private static int CutByDefinition(ReadOnlySpan<byte> window, ulong[] gear, ChunkerParameters parameters)
    {
        if (window.Length <= parameters.MinSize)
        {
            return window.Length;
        }

        var bits = int.Log2(parameters.AvgSize);
        var maskS = ulong.MaxValue << (64 - (bits + 2));
        var maskL = ulong.MaxValue << (64 - (bits - 2));
        var end = Math.Min(window.Length, parameters.MaxSize);
        ulong fp = 0;
        for (var i = parameters.MinSize; i < end; i++)
        {
            fp = (fp << 1) + gear[window[i]];
            if ((fp & (i < parameters.AvgSize ? maskS : maskL)) == 0)
            {
                return i + 1;
            }
        }

        return end;
    }

    private static List<string> ChunkHashes(FastCdc chunker, byte[] data)
    {
        var cuts = ChunkingTestData.CutOffsets(chunker, data);
        return cuts.Zip(cuts.Prepend(0), (end, start) => Convert.ToHexString(SHA256.HashData(data.AsSpan(start, end - start)))).ToList();
    }
}
