using System.Text;
using System.Text.Json;
using Stackvault.Crypto;

namespace Stackvault.Tests.Crypto;

public class MasterKeyTests
{
    [Fact]
    public void Generate_TwoKeys_DifferAndHaveFullSizes()
    {
        var a = MasterKey.Generate();
        var b = MasterKey.Generate();
        Assert.Equal(32, a.EncryptionKey.Length);
        Assert.Equal(32, a.IdKey.Length);
        Assert.False(a.EncryptionKey.SequenceEqual(b.EncryptionKey));
        Assert.False(a.IdKey.SequenceEqual(a.EncryptionKey));
        Assert.NotEqual(a.ChunkerSeed, b.ChunkerSeed);
    }

    [Fact]
    public void ToJson_FixedKey_DocumentedFormat()
    {
        var json = Encoding.UTF8.GetString(CryptoTestData.FixedKey.ToJson());
        Assert.Equal(
            "{\"encryption_key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
            + "\"id_key\":\"ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=\",\"chunker_seed\":\"0123456789abcdef\"}",
            json);
    }

    [Fact]
    public void FromJson_GeneratedKey_RoundTrips()
    {
        var key = MasterKey.Generate();
        var copy = MasterKey.FromJson(key.ToJson());
        Assert.True(key.EncryptionKey.SequenceEqual(copy.EncryptionKey));
        Assert.True(key.IdKey.SequenceEqual(copy.IdKey));
        Assert.Equal(key.ChunkerSeed, copy.ChunkerSeed);
    }

    [Theory]
    [InlineData("encryption_key", null)]
    [InlineData("id_key", "\"AAEC\"")]
    [InlineData("id_key", "12")]
    [InlineData("chunker_seed", "\"12345\"")]
    [InlineData("chunker_seed", "\"0123456789abcdeg\"")]
    public void FromJson_BadField_ThrowsInvalidDataNamingField(string field, string? replacement)
    {
        var node = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(CryptoTestData.FixedKey.ToJson())!;
        node.Remove(field);
        if (replacement is not null)
        {
            node[field] = JsonDocument.Parse(replacement).RootElement;
        }

        var ex = Assert.Throws<InvalidDataException>(() => MasterKey.FromJson(JsonSerializer.SerializeToUtf8Bytes(node)));
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"encryption_key\":")]
    public void FromJson_NotAnObject_ThrowsInvalidData(string json)
    {
        Assert.Throws<InvalidDataException>(() => MasterKey.FromJson(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Ctor_ShortKey_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MasterKey(new byte[16], new byte[32], 1));
    }
}
