using Stackvault.Compression;
using Stackvault.Errors;

namespace Stackvault.Tests.Compression;

public class ZstdCompressorTests
{
    // Names only: xunit serializes theory data at discovery, and an 8 MiB byte[] there cost gigabytes of memory.
    public static TheoryData<string> Inputs => new() { "empty", "one byte", "random", "compressible", "8 MiB" };

    private static byte[] Input(string name) => name switch
    {
        "empty" => [],
        "one byte" => [0x42],
        "random" => ZstdTestData.Random(100_000),
        "compressible" => ZstdTestData.Text(300_000),
        _ => ZstdTestData.Random(8 << 20),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Compress_ThenDecompress_RoundTrips(string name)
    {
        var input = Input(name);
        using var compressor = new ZstdCompressor(3);
        using var decompressor = new ZstdDecompressor();
        var frame = new byte[ZstdCompressor.CompressBound(input.Length)];
        var written = compressor.Compress(input, frame);

        var output = new byte[input.Length];
        Assert.Equal(input.Length, decompressor.Decompress(frame.AsSpan(0, written), output));
        Assert.True(input.AsSpan().SequenceEqual(output), name);
    }

    [Fact]
    public void Compress_RandomData_StaysWithinBound()
    {
        using var compressor = new ZstdCompressor(19);
        foreach (var length in new[] { 0, 1, 1000, 131_072, 1_000_003 })
        {
            var input = ZstdTestData.Random(length, seed: length);
            var bound = ZstdCompressor.CompressBound(length);
            var frame = new byte[bound];
            Assert.InRange(compressor.Compress(input, frame), 1, bound);
        }
    }

    [Fact]
    public void Compress_DestinationTooSmall_ThrowsWithZstdErrorName()
    {
        using var compressor = new ZstdCompressor(3);
        var input = ZstdTestData.Random(10_000);
        var ex = Assert.ThrowsAny<StackvaultException>(() => compressor.Compress(input, new byte[100]));
        Assert.Contains("too small", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Compress_HigherLevel_NotLargerOnText()
    {
        var input = ZstdTestData.Text(1 << 20);
        var low = CompressedLength(input, 1);
        var high = CompressedLength(input, 19);
        Assert.True(high <= low, $"level 19 gave {high} bytes, level 1 gave {low}");
        Assert.True(low < input.Length / 3, $"level 1 gave {low} bytes for {input.Length}");
    }

    [Theory]
    [InlineData(-200_000)]
    [InlineData(23)]
    public void Ctor_LevelOutOfRange_Throws(int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCompressor(level));
    }

    [Fact]
    public void Compress_AfterDispose_ThrowsObjectDisposed()
    {
        var compressor = new ZstdCompressor(3);
        compressor.Dispose();
        Assert.Throws<ObjectDisposedException>(() => compressor.Compress([1, 2, 3], new byte[100]));
    }

    private static int CompressedLength(byte[] input, int level)
    {
        using var compressor = new ZstdCompressor(level);
        return compressor.Compress(input, new byte[ZstdCompressor.CompressBound(input.Length)]);
    }
}
