using Stackvault.Compression;

namespace Stackvault.Tests.Compression;

public class ZstdDecompressorTests
{
    private static readonly byte[] Input = ZstdTestData.Text(200_000);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(0.5)]
    public void Decompress_CorruptedFrame_ThrowsInvalidData(double position)
    {
        var frame = Compress(Input);
        var index = position >= 0 ? (int)(frame.Length * position) : frame.Length + (int)position;
        frame[index] ^= 0x10;
        using var decompressor = new ZstdDecompressor();
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(frame, new byte[Input.Length]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void Decompress_WrongLength_ThrowsInvalidData(int delta)
    {
        var frame = Compress(Input);
        using var decompressor = new ZstdDecompressor();
        var ex = Assert.Throws<InvalidDataException>(() => decompressor.Decompress(frame, new byte[Input.Length + delta]));
        Assert.Contains($"expected {Input.Length + delta}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decompress_TruncatedFrame_ThrowsInvalidData()
    {
        var frame = Compress(Input);
        using var decompressor = new ZstdDecompressor();
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(frame.AsSpan(0, frame.Length - 10), new byte[Input.Length]));
    }

    [Fact]
    public void Decompress_NotZstd_ThrowsInvalidData()
    {
        using var decompressor = new ZstdDecompressor();
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress(ZstdTestData.Random(100), new byte[100]));
        Assert.Throws<InvalidDataException>(() => decompressor.Decompress([], new byte[1]));
    }

    [Fact]
    public void Decompress_ReusedContext_DecodesManyFrames()
    {
        using var decompressor = new ZstdDecompressor();
        for (var i = 0; i < 20; i++)
        {
            var input = ZstdTestData.Random(1000 * i, seed: i);
            var output = new byte[input.Length];
            decompressor.Decompress(Compress(input), output);
            Assert.Equal(input, output);
        }
    }

    private static byte[] Compress(byte[] input)
    {
        using var compressor = new ZstdCompressor(3);
        var frame = new byte[ZstdCompressor.CompressBound(input.Length)];
        return frame.AsSpan(0, compressor.Compress(input, frame)).ToArray();
    }
}
