using System.Diagnostics;
using Stackvault.Crypto;
using Stackvault.Tests.Chunking;
using Xunit.Abstractions;

namespace Stackvault.Tests.Crypto;

/// <summary>Run by hand with STACKVAULT_BENCH=1 (see FastCdcBenchmarks). Reports MB/s on 1 MiB objects; asserts no time.</summary>
public class CryptoBenchmarks(ITestOutputHelper output)
{
    private const int Size = 1 << 20;
    private const int Count = 256;

    [BenchmarkFact]
    public void SealOpenAndComputeId_1MiBObjects_ReportsThroughput()
    {
        var plaintext = new byte[Size];
        new Random(1).NextBytes(plaintext);
        var cipher = new ObjectCipher(MasterKey.Generate());
        var envelope = new byte[Size + cipher.Overhead];
        var keyed = new BlobHasher(CryptoTestData.FixedKey, ContentHash.Sha256);
        var unkeyed = new BlobHasher(null, ContentHash.Sha256);
        var keyedBlake3 = new BlobHasher(CryptoTestData.FixedKey, ContentHash.Blake3);
        var unkeyedBlake3 = new BlobHasher(null, ContentHash.Blake3);

        Report("AES-256-GCM seal", () => cipher.Seal(plaintext, envelope));
        Report("AES-256-GCM open", () => cipher.Open(envelope, plaintext));
        Report("HMAC-SHA-256 id", () => keyed.ComputeId(plaintext));
        Report("SHA-256 id", () => unkeyed.ComputeId(plaintext));
        Report("keyed BLAKE3 id", () => keyedBlake3.ComputeId(plaintext));
        Report("BLAKE3 id", () => unkeyedBlake3.ComputeId(plaintext));
    }

    private void Report(string name, Action action)
    {
        action();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            action();
        }

        output.WriteLine($"{name}: {(double)Size * Count / 1e6 / watch.Elapsed.TotalSeconds:F0} MB/s");
    }
}
