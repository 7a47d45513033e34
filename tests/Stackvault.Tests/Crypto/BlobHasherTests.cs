using Stackvault.Crypto;

namespace Stackvault.Tests.Crypto;

public class BlobHasherTests
{
    [Fact]
    public void ComputeId_Unkeyed_IsSha256()
    {
        var hasher = new BlobHasher(null);
        Assert.False(hasher.IsKeyed);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hasher.ComputeId("abc"u8).ToString());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hasher.ComputeId([]).ToString());
    }

    [Fact]
    public void ComputeId_Keyed_IsHmacSha256WithIdKey()
    {
        // id_key = 0x00..0x1f; the expected value is HMAC-SHA-256(id_key, "abc") from an independent implementation.
        var key = new MasterKey(new byte[32], Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0);
        var hasher = new BlobHasher(key);
        Assert.True(hasher.IsKeyed);
        Assert.Equal("f0133729c4163dede81e21cd47839256da58171238c8a0d874397c73b14e1e47", hasher.ComputeId("abc"u8).ToString());
    }

    [Fact]
    public void ComputeId_KeyedAndUnkeyed_DifferAndAreDeterministic()
    {
        var data = new byte[4096];
        new Random(1).NextBytes(data);
        var keyed = new BlobHasher(CryptoTestData.FixedKey);
        var unkeyed = new BlobHasher(null);
        Assert.Equal(keyed.ComputeId(data), new BlobHasher(CryptoTestData.FixedKey).ComputeId(data));
        Assert.Equal(unkeyed.ComputeId(data), unkeyed.ComputeId(data));
        Assert.NotEqual(keyed.ComputeId(data), unkeyed.ComputeId(data));
        Assert.NotEqual(keyed.ComputeId(data), new BlobHasher(MasterKey.Generate()).ComputeId(data));
    }
}
