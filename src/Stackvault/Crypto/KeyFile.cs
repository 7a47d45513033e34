using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Stackvault.Errors;

namespace Stackvault.Crypto;

/// <summary>
/// Key files (<c>keys/&lt;id&gt;</c>, plaintext JSON) hold the master key sealed under a password:
/// {"version":1,"created":"&lt;RFC 3339 UTC&gt;","hostname":"..","username":"..","kdf":"pbkdf2-sha256","iterations":600000,
/// "salt":"&lt;base64, 32 bytes&gt;","data":"&lt;base64 envelope&gt;"}. The envelope is AES-256-GCM (nonce || ciphertext || tag)
/// keyed by PBKDF2-HMAC-SHA256(UTF-8 password, salt, iterations, 32 bytes), sealing the master key JSON.
/// </summary>
public static class KeyFile
{
    public const int Version = 1;
    public const string Kdf = "pbkdf2-sha256";
    public const int MinIterations = 1000;
    public const int MaxIterations = 100_000_000;
    public const int SaltSize = 32;

    private const string What = "key file";

    public static byte[] Create(MasterKey key, string password, KeyFileOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Iterations, MinIterations, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Iterations, MaxIterations, nameof(options));

        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var plaintext = key.ToJson();
        var envelope = new byte[plaintext.Length + AesGcmEnvelope.Overhead];
        using (var aes = DeriveCipher(password, salt, options.Iterations))
        {
            AesGcmEnvelope.Seal(aes, plaintext, envelope);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer, JsonFields.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("created", time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("hostname", options.Hostname);
            writer.WriteString("username", options.Username);
            writer.WriteString("kdf", Kdf);
            writer.WriteNumber("iterations", options.Iterations);
            writer.WriteBase64String("salt", salt);
            writer.WriteBase64String("data", envelope);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Opens the key file with the password. Throws <see cref="WrongPasswordException"/> when the envelope does not verify,
    /// <see cref="UnsupportedVersionException"/> for a newer version, <see cref="InvalidDataException"/> naming a bad field.
    /// </summary>
    public static MasterKey Open(ReadOnlySpan<byte> json, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        using var document = JsonFields.Parse(json, What);
        var root = document.RootElement;
        var info = Describe(root);
        var salt = JsonFields.GetBase64(root, "salt", What, SaltSize, SaltSize);
        var envelope = JsonFields.GetBase64(root, "data", What, AesGcmEnvelope.Overhead + 1);

        var plaintext = new byte[envelope.Length - AesGcmEnvelope.Overhead];
        try
        {
            using var aes = DeriveCipher(password, salt, info.Iterations);
            AesGcmEnvelope.Open(aes, envelope, plaintext);
            return MasterKey.FromJson(plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new WrongPasswordException();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>
    /// Runs, on the calling thread, the key derivation a later <see cref="Open"/> of the same key file with the same
    /// password will need, so that it takes the result instead (see <see cref="KeyDerivation"/>). Same errors as
    /// <see cref="Describe(ReadOnlySpan{byte})"/>; nothing is derived then.
    /// </summary>
    internal static void DeriveAhead(ReadOnlySpan<byte> json, string password, KeyDerivation.Ahead ahead)
    {
        int iterations;
        byte[] salt;
        using (var document = JsonFields.Parse(json, What))
        {
            iterations = Describe(document.RootElement).Iterations;
            salt = JsonFields.GetBase64(document.RootElement, "salt", What, SaltSize, SaltSize);
        }

        ahead.Run(password, salt, iterations);
    }

    /// <summary>Reads the clear-text fields, without a password; same errors as <see cref="Open"/>.</summary>
    public static KeyFileInfo Describe(ReadOnlySpan<byte> json)
    {
        using var document = JsonFields.Parse(json, What);
        return Describe(document.RootElement);
    }

    private static KeyFileInfo Describe(JsonElement root)
    {
        var version = JsonFields.GetInt32(root, "version", What);
        if (version > Version)
        {
            throw new UnsupportedVersionException(What, version, Version);
        }

        if (version < 1)
        {
            throw new InvalidDataException($"{What}: field 'version' must be at least 1, got {version}");
        }

        var createdText = JsonFields.GetString(root, "created", What);
        if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
        {
            throw new InvalidDataException($"{What}: field 'created' must be an RFC 3339 time, got '{createdText}'");
        }

        var kdf = JsonFields.GetString(root, "kdf", What);
        if (kdf != Kdf)
        {
            throw new InvalidDataException($"{What}: field 'kdf' is '{kdf}'; only '{Kdf}' is supported");
        }

        var iterations = JsonFields.GetInt32(root, "iterations", What);
        if (iterations is < MinIterations or > MaxIterations)
        {
            throw new InvalidDataException($"{What}: field 'iterations' must be in [{MinIterations}, {MaxIterations}], got {iterations}");
        }

        return new KeyFileInfo(version, created, JsonFields.GetString(root, "hostname", What), JsonFields.GetString(root, "username", What), kdf, iterations);
    }

    private static AesGcm DeriveCipher(string password, byte[] salt, int iterations)
    {
        Span<byte> derived = stackalloc byte[MasterKey.KeySize];
        KeyDerivation.Derive(password, salt, iterations, derived);
        var aes = new AesGcm(derived, AesGcmEnvelope.TagSize);
        CryptographicOperations.ZeroMemory(derived);
        return aes;
    }
}
