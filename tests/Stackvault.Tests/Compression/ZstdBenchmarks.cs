using System.Diagnostics;
using Stackvault.Compression;
using Stackvault.Tests.Chunking;
using Xunit.Abstractions;

namespace Stackvault.Tests.Compression;

/// <summary>Run by hand with STACKVAULT_BENCH=1 (see FastCdcBenchmarks). Reports MB/s of raw data; asserts no time.</summary>
public class ZstdBenchmarks(ITestOutputHelper output)
{
    [BenchmarkFact]
    public void CompressDecompress_1MiBChunks_ReportsThroughput()
    {
        foreach (var (name, data) in new[] { ("text", ZstdTestData.Text(64 << 20)), ("random", ZstdTestData.Random(64 << 20)) })
        {
            using var compressor = new ZstdCompressor(3);
            using var decompressor = new ZstdDecompressor();
            const int chunk = 1 << 20;
            var frames = new byte[data.Length / chunk][];
            var frame = new byte[ZstdCompressor.CompressBound(chunk)];
            var raw = new byte[chunk];

            var watch = Stopwatch.StartNew();
            for (var i = 0; i < frames.Length; i++)
            {
                frames[i] = frame.AsSpan(0, compressor.Compress(data.AsSpan(i * chunk, chunk), frame)).ToArray();
            }

            var compress = watch.Elapsed.TotalSeconds;
            watch.Restart();
            foreach (var f in frames)
            {
                decompressor.Decompress(f, raw);
            }

            var ratio = (double)frames.Sum(f => f.Length) / data.Length;
            output.WriteLine($"zstd -3 {name}: compress {data.Length / 1e6 / compress:F0} MB/s, decompress {data.Length / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s, ratio {ratio:F3}");
        }
    }
}
