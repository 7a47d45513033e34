using System.Text;

namespace Stackvault.Tests.Compression;

/// <summary>Deterministic inputs for the zstd tests.</summary>
internal static class ZstdTestData
{
    public static byte[] Random(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Log-like text: compresses well but is not trivially repetitive.</summary>
    public static byte[] Text(int length)
    {
        var random = new Random(11);
        var sb = new StringBuilder(length + 200);
        string[] levels = ["info", "warn", "debug", "error"];
        while (sb.Length < length)
        {
            sb.Append("ts=2024-05-").Append(random.Next(10, 29)).Append("T12:").Append(random.Next(10, 59))
                .Append(" level=").Append(levels[random.Next(levels.Length)])
                .Append(" msg=\"request served\" path=/api/v1/query duration_ms=").Append(random.Next(1, 900)).Append('\n');
        }

        return Encoding.ASCII.GetBytes(sb.ToString(0, length));
    }
}
