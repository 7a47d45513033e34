using Stackvault.Compression;

namespace Stackvault.Tests.Compression;

public sealed class ZstdDecoderStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sv-zstd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReadAsync_FileWrittenByZstdCli_SameBytes()
    {
        var input = ZstdTestData.Text(2 << 20);
        var raw = Path.Combine(_dir, "b");
        await File.WriteAllBytesAsync(raw, input);
        await ZstdCli.RunAsync("-q", "-9", raw, "-o", raw + ".zst");

        await using var decoder = new ZstdDecoderStream(File.OpenRead(raw + ".zst"));
        var output = new MemoryStream();
        await decoder.CopyToAsync(output);
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public async Task Read_ConcatenatedFramesFromCli_ReadsAll()
    {
        var first = ZstdTestData.Random(70_000, seed: 1);
        var second = ZstdTestData.Text(90_000);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "1"), first);
        await File.WriteAllBytesAsync(Path.Combine(_dir, "2"), second);
        await ZstdCli.RunAsync("-q", Path.Combine(_dir, "1"), Path.Combine(_dir, "2"));
        var both = File.ReadAllBytes(Path.Combine(_dir, "1.zst")).Concat(File.ReadAllBytes(Path.Combine(_dir, "2.zst"))).ToArray();

        using var decoder = new ZstdDecoderStream(new MemoryStream(both));
        var output = new MemoryStream();
        decoder.CopyTo(output, bufferSize: 4096);
        Assert.Equal(first.Concat(second).ToArray(), output.ToArray());
    }

    [Fact]
    public void Read_TruncatedStream_ThrowsInvalidData()
    {
        var compressed = Encode(ZstdTestData.Random(300_000));
        using var decoder = new ZstdDecoderStream(new MemoryStream(compressed, 0, compressed.Length - 100));
        Assert.Throws<InvalidDataException>(() => decoder.CopyTo(Stream.Null));
    }

    [Fact]
    public void Read_EmptyInput_ThrowsInvalidData()
    {
        using var decoder = new ZstdDecoderStream(new MemoryStream());
        Assert.Throws<InvalidDataException>(() => decoder.Read(new byte[10]));
    }

    [Fact]
    public void Read_CorruptedStream_ThrowsInvalidData()
    {
        var compressed = Encode(ZstdTestData.Text(300_000));
        compressed[compressed.Length / 2] ^= 0x01;
        using var decoder = new ZstdDecoderStream(new MemoryStream(compressed));
        Assert.Throws<InvalidDataException>(() => decoder.CopyTo(Stream.Null));
    }

    private static byte[] Encode(byte[] input)
    {
        var sink = new MemoryStream();
        using (var encoder = new ZstdEncoderStream(sink, leaveOpen: true))
        {
            encoder.Write(input);
        }

        return sink.ToArray();
    }
}
