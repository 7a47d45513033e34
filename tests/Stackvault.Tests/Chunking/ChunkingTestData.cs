using Stackvault.Chunking;

namespace Stackvault.Tests.Chunking;

internal static class ChunkingTestData
{
    public static ChunkerParameters Small { get; } = new(64, 256, 1024);

    public static byte[] Random(int length, int seed = 3)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The end offsets of all chunks of <paramref name="data"/>, the last one being data.Length.</summary>
    public static List<int> CutOffsets(FastCdc chunker, ReadOnlySpan<byte> data)
    {
        var cuts = new List<int>();
        for (var position = 0; position < data.Length;)
        {
            position += chunker.NextChunkLength(data[position..], isFinal: true);
            cuts.Add(position);
        }

        return cuts;
    }
}
