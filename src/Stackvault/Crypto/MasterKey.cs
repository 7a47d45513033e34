using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Stackvault.Crypto;

/// <summary>
/// The repository's secrets: the AES-256-GCM key of every object, the HMAC-SHA-256 key of blob ids, and the chunker seed.
/// JSON form: {"encryption_key":"&lt;base64&gt;","id_key":"&lt;base64&gt;","chunker_seed":"&lt;16 lower hex digits&gt;"}.
/// </summary>
public sealed class MasterKey
{
    public const int KeySize = 32;

    private const string What = "master key";
    private readonly byte[] _encryptionKey;
    private readonly byte[] _idKey;

    public MasterKey(ReadOnlySpan<byte> encryptionKey, ReadOnlySpan<byte> idKey, ulong chunkerSeed)
    {
        if (encryptionKey.Length != KeySize)
        {
            throw new ArgumentException($"the encryption key has {KeySize} bytes, got {encryptionKey.Length}", nameof(encryptionKey));
        }

        if (idKey.Length != KeySize)
        {
            throw new ArgumentException($"the id key has {KeySize} bytes, got {idKey.Length}", nameof(idKey));
        }

        _encryptionKey = encryptionKey.ToArray();
        _idKey = idKey.ToArray();
        ChunkerSeed = chunkerSeed;
    }

    /// <summary>AES-256-GCM key of every encrypted object (32 bytes).</summary>
    public ReadOnlySpan<byte> EncryptionKey => _encryptionKey;

    /// <summary>HMAC-SHA-256 key of blob ids (32 bytes).</summary>
    public ReadOnlySpan<byte> IdKey => _idKey;

    /// <summary>The secret seed of the FastCDC gear table.</summary>
    public ulong ChunkerSeed { get; }

    public static MasterKey Generate()
    {
        Span<byte> random = stackalloc byte[2 * KeySize + sizeof(ulong)];
        RandomNumberGenerator.Fill(random);
        var key = new MasterKey(random[..KeySize], random[KeySize..(2 * KeySize)], BinaryPrimitives.ReadUInt64LittleEndian(random[(2 * KeySize)..]));
        CryptographicOperations.ZeroMemory(random);
        return key;
    }

    /// <summary>The UTF-8 JSON form (the plaintext sealed in key files).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream(200);
        using (var writer = new Utf8JsonWriter(buffer, JsonFields.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("encryption_key", _encryptionKey);
            writer.WriteBase64String("id_key", _idKey);
            writer.WriteString("chunker_seed", ChunkerSeed.ToString("x16", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses the JSON form; throws <see cref="InvalidDataException"/> naming a missing or malformed field.</summary>
    public static MasterKey FromJson(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonFields.Parse(utf8Json, What);
        var root = document.RootElement;
        var encryptionKey = JsonFields.GetBase64(root, "encryption_key", What, KeySize, KeySize);
        var idKey = JsonFields.GetBase64(root, "id_key", What, KeySize, KeySize);
        var seedHex = JsonFields.GetString(root, "chunker_seed", What);
        if (seedHex.Length != 16 || !ulong.TryParse(seedHex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var seed))
        {
            throw new InvalidDataException($"{What}: field 'chunker_seed' must be 16 hex digits");
        }

        return new MasterKey(encryptionKey, idKey, seed);
    }
}
