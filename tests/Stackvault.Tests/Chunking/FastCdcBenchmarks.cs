using System.Diagnostics;
using Stackvault.Chunking;
using Xunit.Abstractions;

namespace Stackvault.Tests.Chunking;

/// <summary>
/// Run by hand: STACKVAULT_BENCH=1 dotnet test tests/Stackvault.Tests --filter "FullyQualifiedName~Benchmarks"
/// --logger "console;verbosity=detailed".
/// </summary>
public class FastCdcBenchmarks(ITestOutputHelper output)
{
    [BenchmarkFact]
    public void NextChunkLength_256MiBRandom_ReportsThroughput()
    {
        var data = ChunkingTestData.Random(256 << 20);
        var chunker = new FastCdc(42, ChunkerParameters.Default);
        ChunkingTestData.CutOffsets(chunker, data.AsSpan(0, 32 << 20)); // warm-up (tiered JIT)

        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            var chunks = ChunkingTestData.CutOffsets(chunker, data).Count;
            watch.Stop();
            output.WriteLine($"FastCDC: {data.Length / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s ({chunks} chunks, {watch.ElapsedMilliseconds} ms)");
        }
    }

    [BenchmarkFact]
    public async Task ChunkReader_256MiBRandom_ReportsThroughput()
    {
        var data = ChunkingTestData.Random(256 << 20);
        var chunker = new FastCdc(42, ChunkerParameters.Default);
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            using var reader = new ChunkReader(new MemoryStream(data), chunker);
            while (await reader.NextAsync(CancellationToken.None) is { } chunk)
            {
                chunk.Dispose();
            }

            output.WriteLine($"ChunkReader: {data.Length / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s");
        }
    }
}
