using System.Buffers.Binary;

namespace Stackvault.Tests.Chunking;

/// <summary>
/// The documented PRNG of the golden tests: xorshift64* (x ^= x &gt;&gt; 12; x ^= x &lt;&lt; 25; x ^= x &gt;&gt; 27;
/// output x * 0x2545F4914F6CDD1D), state seeded with 1, each output written as 8 bytes little-endian.
/// </summary>
internal static class Xorshift64Star
{
    public static byte[] Bytes(int length, ulong seed = 1)
    {
        var bytes = new byte[length + 7];
        var x = seed;
        for (var i = 0; i < length; i += 8)
        {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i), x * 0x2545F4914F6CDD1DUL);
        }

        return bytes[..length];
    }
}
