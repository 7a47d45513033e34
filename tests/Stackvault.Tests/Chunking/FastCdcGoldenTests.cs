using System.Security.Cryptography;
using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

/// <summary>
/// Pins the repository format: another implementation must reproduce these values.
/// Data: <see cref="Xorshift64Star"/> seeded with 1; chunker seed 42. Computed once and cross-checked with an independent
/// Python implementation of the specification.
/// </summary>
public class FastCdcGoldenTests
{
    private static readonly byte[] Data = Xorshift64Star.Bytes(16 << 20);

    [Fact]
    public void Xorshift64Star_16MiB_MatchesRecordedHash()
    {
        Assert.Equal("1ddd6c894bcee447", Convert.ToHexStringLower(Data.AsSpan(0, 8)));
        Assert.Equal("8fd7faba49b9dc43ae0d311e51f43f17733ed3ffeee8e8ad7029146eaa7ef87b", Convert.ToHexStringLower(SHA256.HashData(Data)));
    }

    [Fact]
    public void GearTable_Seed42_MatchesRecordedValues()
    {
        var gear = GearTable.Create(42);
        Assert.Equal(0x9c39746e57570fa6UL, gear[0]);
        Assert.Equal(0x35c829241b4ef77bUL, gear[1]);
        Assert.Equal(0x57bc88c13d038afcUL, gear[255]);
    }

    [Fact]
    public void NextChunkLength_DefaultParametersSeed42_MatchesRecordedCuts()
    {
        int[] expected =
        [
            1604882, 2818636, 3994467, 5201249, 6345603, 7427964, 8494485, 9689795, 11041009, 12308517, 13762515,
            15313743, 16517238, 16777216,
        ];
        Assert.Equal(expected, ChunkingTestData.CutOffsets(new FastCdc(42, ChunkerParameters.Default), Data));
    }

    [Fact]
    public void NextChunkLength_SmallParametersSeed42_MatchesRecordedCuts()
    {
        int[] expected =
        [
            297, 669, 741, 1047, 1318, 1636, 1967, 2245, 2513, 2840, 3120, 3399, 3691, 3969, 4435, 4714, 4968, 5280,
            5638, 5968, 6266, 6530, 6901, 7182, 7471, 7887, 8096, 8192,
        ];
        Assert.Equal(expected, ChunkingTestData.CutOffsets(new FastCdc(42, ChunkingTestData.Small), Data.AsSpan(0, 8192)));
    }
}
