using Stackvault.Crypto;

namespace Stackvault.Tests.Crypto;

public class BlobHasherTests
{
    private static readonly MasterKey CountingIdKey = new(new byte[32], Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0);

    /// <summary>The BLAKE3 test vectors' input: 102,400 bytes of i mod 251 (many 1 KiB chunks: the SIMD paths and the tree).</summary>
    private static readonly byte[] Pattern = Enumerable.Range(0, 102_400).Select(i => (byte)(i % 251)).ToArray();

    [Fact]
    public void ComputeId_Unkeyed_IsSha256()
    {
        var hasher = new BlobHasher(null, ContentHash.Sha256);
        Assert.False(hasher.IsKeyed);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hasher.ComputeId("abc"u8).ToString());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hasher.ComputeId([]).ToString());
    }

    [Fact]
    public void ComputeId_Keyed_IsHmacSha256WithIdKey()
    {
        // id_key = 0x00..0x1f; the expected value is HMAC-SHA-256(id_key, "abc") from an independent implementation.
        var hasher = new BlobHasher(CountingIdKey, ContentHash.Sha256);
        Assert.True(hasher.IsKeyed);
        Assert.Equal("f0133729c4163dede81e21cd47839256da58171238c8a0d874397c73b14e1e47", hasher.ComputeId("abc"u8).ToString());
    }

    [Fact]
    public void ComputeId_Blake3_MatchesTheReferenceImplementation()
    {
        // Expected values from b3sum 1.2.0 (Debian; the BLAKE3 team's Rust implementation), an independent one.
        var hasher = new BlobHasher(null, ContentHash.Blake3);
        Assert.Equal("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85", hasher.ComputeId("abc"u8).ToString());
        Assert.Equal("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262", hasher.ComputeId([]).ToString());
        Assert.Equal("bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085", hasher.ComputeId(Pattern).ToString());
    }

    [Fact]
    public void ComputeId_Blake3Keyed_IsBlake3KeyedModeWithIdKey()
    {
        // b3sum --keyed with the key 0x00..0x1f on stdin.
        var hasher = new BlobHasher(CountingIdKey, ContentHash.Blake3);
        Assert.True(hasher.IsKeyed);
        Assert.Equal("6da54495d8152f2bcba87bd7282df70901cdb66b4448ed5f4c7bd2852b8b5532", hasher.ComputeId("abc"u8).ToString());
        Assert.Equal("ab2ecf0478e816065ba6039d8ec583cbce8a2335efe903e2d7313c04ba5330d2", hasher.ComputeId(Pattern).ToString());
    }

    [Fact]
    public void Incremental_AnySplit_GivesTheOneShotHash_AndResets()
    {
        foreach (var hash in new[] { ContentHash.Sha256, ContentHash.Blake3 })
        {
            var random = new Random(7);
            using var incremental = hash.CreateIncremental();
            for (var round = 0; round < 3; round++)
            {
                for (var at = 0; at < Pattern.Length;)
                {
                    var take = Math.Min(Pattern.Length - at, random.Next(0, 9000));
                    incremental.Append(Pattern.AsSpan(at, take));
                    at += take;
                }

                Assert.Equal(hash.PackId(Pattern), incremental.GetHashAndReset());
            }

            Assert.Equal(hash.PackId([]), incremental.GetHashAndReset());
        }

        Assert.Equal("bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085", ContentHash.Blake3.PackId(Pattern).ToString());
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("blake3")]
    public void ComputeId_KeyedAndUnkeyed_DifferAndAreDeterministic(string name)
    {
        var hash = ContentHash.Named(name);
        var data = new byte[4096];
        new Random(1).NextBytes(data);
        var keyed = new BlobHasher(CryptoTestData.FixedKey, hash);
        var unkeyed = new BlobHasher(null, hash);
        Assert.Equal(keyed.ComputeId(data), new BlobHasher(CryptoTestData.FixedKey, hash).ComputeId(data));
        Assert.Equal(unkeyed.ComputeId(data), unkeyed.ComputeId(data));
        Assert.NotEqual(keyed.ComputeId(data), unkeyed.ComputeId(data));
        Assert.NotEqual(keyed.ComputeId(data), new BlobHasher(MasterKey.Generate(), hash).ComputeId(data));
        Assert.NotEqual(keyed.ComputeId(data), new BlobHasher(CryptoTestData.FixedKey, hash == ContentHash.Sha256 ? ContentHash.Blake3 : ContentHash.Sha256).ComputeId(data));
    }

    [Fact]
    public void Named_UnknownHash_IsAnError()
    {
        Assert.Same(ContentHash.Sha256, ContentHash.Named(null));
        Assert.Throws<InvalidDataException>(() => ContentHash.Named("md5"));
        Assert.Throws<InvalidDataException>(() => ContentHash.Named("BLAKE3"));
    }
}
