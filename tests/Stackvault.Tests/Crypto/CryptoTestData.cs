using Stackvault.Crypto;

namespace Stackvault.Tests.Crypto;

internal static class CryptoTestData
{
    /// <summary>encryption_key = 0x00..0x1f, id_key = 0x20..0x3f, chunker_seed = 0x0123456789abcdef.</summary>
    public static MasterKey FixedKey { get; } = new(
        Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        Enumerable.Range(32, 32).Select(i => (byte)i).ToArray(),
        0x0123456789abcdefUL);

    public static KeyFileOptions FastOptions { get; } = new() { Iterations = 1000, Hostname = "host-a", Username = "ops" };
}
