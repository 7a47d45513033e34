using Stackvault.Compression;

namespace Stackvault.Tests.Compression;

public sealed class ZstdEncoderStreamTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sv-zstd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Write_ThenZstdCliDecompresses_SameBytes()
    {
        var input = ZstdTestData.Text(3 << 20);
        var compressed = Path.Combine(_dir, "a.zst");
        await using (var file = File.Create(compressed))
        await using (var zstd = new ZstdEncoderStream(file, level: 5))
        {
            for (var offset = 0; offset < input.Length; offset += 100_000)
            {
                await zstd.WriteAsync(input.AsMemory(offset, Math.Min(100_000, input.Length - offset)));
            }
        }

        var output = Path.Combine(_dir, "a");
        await ZstdCli.RunAsync("-q", "-d", compressed, "-o", output);
        Assert.Equal(input, await File.ReadAllBytesAsync(output));
    }

    [Fact]
    public void Write_SynchronousWithFlush_RoundTripsThroughDecoder()
    {
        var input = ZstdTestData.Random(1 << 20);
        var sink = new MemoryStream();
        using (var zstd = new ZstdEncoderStream(sink, level: 1, leaveOpen: true))
        {
            zstd.Write(input, 0, 1000);
            zstd.Flush();
            var flushedLength = sink.Length;
            Assert.True(flushedLength > 1000, "Flush must emit the data written so far");
            zstd.Write(input, 1000, input.Length - 1000);
        }

        Assert.True(sink.CanWrite, "leaveOpen keeps the inner stream open");
        sink.Position = 0;
        using var decoder = new ZstdDecoderStream(sink);
        var output = new MemoryStream();
        decoder.CopyTo(output);
        Assert.Equal(input, output.ToArray());
    }

    [Fact]
    public void Dispose_NothingWritten_WritesValidEmptyFrame()
    {
        var sink = new MemoryStream();
        new ZstdEncoderStream(sink, leaveOpen: true).Dispose();
        Assert.True(sink.Length > 0);
        sink.Position = 0;
        using var decoder = new ZstdDecoderStream(sink);
        Assert.Equal(0, decoder.Read(new byte[10]));
    }

    [Fact]
    public void Dispose_WithoutLeaveOpen_ClosesInner()
    {
        var sink = new MemoryStream();
        new ZstdEncoderStream(sink).Dispose();
        Assert.False(sink.CanWrite);
    }

    [Fact]
    public void Ctor_ReadOnlyInner_Throws()
    {
        using var readOnly = new MemoryStream([], writable: false);
        Assert.Throws<ArgumentException>(() => new ZstdEncoderStream(readOnly));
    }
}
