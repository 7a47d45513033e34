using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stackvault.Crypto;
using Stackvault.Errors;

namespace Stackvault.Tests.Crypto;

public class KeyFileTests
{
    private static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    private static readonly byte[] File = KeyFile.Create(CryptoTestData.FixedKey, "correct horse", CryptoTestData.FastOptions, new FixedTimeProvider(Now));

    [Fact]
    public void Open_RightPassword_ReturnsMasterKey()
    {
        var key = KeyFile.Open(File, "correct horse");
        Assert.True(key.EncryptionKey.SequenceEqual(CryptoTestData.FixedKey.EncryptionKey));
        Assert.True(key.IdKey.SequenceEqual(CryptoTestData.FixedKey.IdKey));
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, key.ChunkerSeed);
    }

    [Fact]
    public void Create_Json_HasDocumentedFields()
    {
        var root = JsonNode.Parse(File)!.AsObject();
        Assert.Equal(["version", "created", "hostname", "username", "kdf", "iterations", "salt", "data"], root.Select(p => p.Key));
        Assert.Equal(1, (int)root["version"]!);
        Assert.Equal("2024-05-06T07:08:09Z", (string)root["created"]!);
        Assert.Equal("pbkdf2-sha256", (string)root["kdf"]!);
        Assert.Equal(32, Convert.FromBase64String((string)root["salt"]!).Length);
        Assert.Equal(CryptoTestData.FixedKey.ToJson().Length + 28, Convert.FromBase64String((string)root["data"]!).Length);
    }

    [Fact]
    public void Describe_WithoutPassword_ReturnsClearFields()
    {
        Assert.Equal(new KeyFileInfo(1, Now, "host-a", "ops", "pbkdf2-sha256", 1000), KeyFile.Describe(File));
    }

    [Fact]
    public void Open_WrongPassword_ThrowsWrongPassword()
    {
        Assert.Throws<WrongPasswordException>(() => KeyFile.Open(File, "correct horse "));
    }

    [Theory]
    [InlineData("salt")]
    [InlineData("iterations")]
    [InlineData("data")]
    public void Open_TamperedField_ThrowsWrongPassword(string field)
    {
        var tampered = Edit(root => root[field] = field switch
        {
            "iterations" => 1001,
            _ => Tamper((string)root[field]!),
        });
        Assert.Throws<WrongPasswordException>(() => KeyFile.Open(tampered, "correct horse"));
    }

    [Fact]
    public void Open_Version2_ThrowsUnsupportedVersion()
    {
        var newer = Edit(root => root["version"] = 2);
        Assert.Throws<UnsupportedVersionException>(() => KeyFile.Open(newer, "correct horse"));
        Assert.Throws<UnsupportedVersionException>(() => KeyFile.Describe(newer));
    }

    [Theory]
    [InlineData("salt", null)]
    [InlineData("salt", "\"AAAA\"")]
    [InlineData("iterations", "999")]
    [InlineData("iterations", "\"600000\"")]
    [InlineData("kdf", "\"argon2id\"")]
    [InlineData("created", "\"yesterday\"")]
    [InlineData("data", "\"not base64!\"")]
    [InlineData("version", "0")]
    [InlineData("hostname", null)]
    public void Open_MalformedField_ThrowsInvalidDataNamingField(string field, string? json)
    {
        var bad = Edit(root =>
        {
            root.Remove(field);
            if (json is not null)
            {
                root[field] = JsonNode.Parse(json);
            }
        });
        var ex = Assert.Throws<InvalidDataException>(() => KeyFile.Open(bad, "correct horse"));
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotJson_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => KeyFile.Open("not json"u8, "pw"));
    }

    [Fact]
    public void Create_TooFewIterations_Throws()
    {
        var options = CryptoTestData.FastOptions with { Iterations = 999 };
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyFile.Create(MasterKey.Generate(), "pw", options, TimeProvider.System));
        Assert.Equal(600_000, new KeyFileOptions().Iterations);
    }

    [Fact]
    public void Create_UnicodePassword_RoundTrips()
    {
        var file = KeyFile.Create(CryptoTestData.FixedKey, "pässwört 密码", CryptoTestData.FastOptions with { Hostname = "hôte" }, TimeProvider.System);
        Assert.Equal(CryptoTestData.FixedKey.ChunkerSeed, KeyFile.Open(file, "pässwört 密码").ChunkerSeed);
        Assert.Contains("\"hostname\":\"hôte\"", Encoding.UTF8.GetString(file), StringComparison.Ordinal);
        Assert.Throws<WrongPasswordException>(() => KeyFile.Open(file, "passwort 密码"));
    }

    private static byte[] Edit(Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File)!.AsObject();
        edit(root);
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    private static string Tamper(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        bytes[bytes.Length / 2] ^= 1;
        return Convert.ToBase64String(bytes);
    }
}
