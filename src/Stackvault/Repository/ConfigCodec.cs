using System.Security.Cryptography;
using System.Text.Json;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Repository.Model;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// The <c>config</c> object (docs/design.md section 10). Versions 2 and 3 wrap the config JSON in an envelope that
/// authenticates it: <c>{"version":3,"config":"&lt;base64 body&gt;","sha256":"&lt;hex&gt;","mac":"&lt;hex&gt;"}</c>, where
/// <c>sha256</c> is the SHA-256 of the body bytes (always) and <c>mac</c>, only in encrypted repositories, is
/// HMAC-SHA256 of the body under <c>HMAC-SHA256(encryption_key, "stackvault config mac")</c>. The envelope's version is
/// the body's: 3 adds the body's <c>hash</c> field, and a SHA-256 repository is still written as version 2, which
/// older builds read. Version 1 (plain JSON, no envelope) is still read. Both are parsed strictly: an unknown or malformed field is an error, never a default.
/// </summary>
public static class ConfigCodec
{
    public const int EnvelopeVersion = RepositoryConfig.CurrentVersion;
    private const int FirstEnvelopeVersion = 2;
    private static readonly byte[] MacLabel = "stackvault config mac"u8.ToArray();

    /// <summary>The stored bytes of a new config (the envelope takes the body's version); <paramref name="key"/> is null when unencrypted.</summary>
    public static byte[] Encode(RepositoryConfig config, MasterKey? key)
    {
        if (config.Version < FirstEnvelopeVersion)
        {
            throw new ArgumentException($"config version {config.Version} is read, never written", nameof(config));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(config, ModelJsonContext.Default.RepositoryConfig);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", config.Version);
            writer.WriteBase64String("config", body);
            writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(body)));
            if (key is not null)
            {
                writer.WriteString("mac", Convert.ToHexStringLower(Mac(key, body)));
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Parses and checks the stored config (checksum, strict fields). The MAC, which needs the master key, is
    /// checked later by <see cref="CheckMac"/>; <see cref="Parsed.Mac"/> carries it.
    /// </summary>
    public static Parsed Decode(byte[] stored)
    {
        // Checked first: a flipped high bit makes a property name undecodable, which JsonDocument only reports
        // (as InvalidOperationException) when the name is read.
        if (!System.Text.Unicode.Utf8.IsValid(stored))
        {
            throw Corrupt("not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stored);
        }
        catch (JsonException e)
        {
            throw Corrupt("not valid JSON: " + e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var v) || !v.TryGetInt32(out var version))
            {
                throw Corrupt("no integer 'version'");
            }

            if (version > EnvelopeVersion)
            {
                throw new UnsupportedVersionException("repository config", version, EnvelopeVersion);
            }

            if (version < FirstEnvelopeVersion)
            {
                // Version 1: the config JSON itself, unauthenticated (strict parsing still catches most damage).
                var legacy = Parse(stored, version);
                return new Parsed(legacy, null, stored);
            }

            byte[] body;
            string sha, mac = null!;
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name) || property.Name is not ("version" or "config" or "sha256" or "mac"))
                {
                    throw Corrupt($"unknown or repeated field '{property.Name}' in the version-{version} envelope");
                }
            }

            try
            {
                body = root.GetProperty("config").GetBytesFromBase64();
                sha = root.GetProperty("sha256").GetString() ?? string.Empty;
                if (root.TryGetProperty("mac", out var m))
                {
                    mac = m.GetString() ?? string.Empty;
                }
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw Corrupt($"the version-{version} envelope needs base64 'config' and hex 'sha256' (" + e.Message + ")");
            }

            if (!IsHex(sha, 64) || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(sha), SHA256.HashData(body)))
            {
                throw Corrupt("checksum mismatch: the config body does not match its sha256");
            }

            var config = Parse(body, version);
            if (config.IsEncrypted != (mac is not null))
            {
                throw Corrupt(config.IsEncrypted ? "an encrypted repository's config carries no mac" : "an unencrypted repository's config carries a mac");
            }

            if (mac is not null && !IsHex(mac, 64))
            {
                throw Corrupt("mac is not 64 hex digits");
            }

            return new Parsed(config, mac is null ? null : Convert.FromHexString(mac), body);
        }
    }

    /// <summary>Checks the envelope's MAC under the master key (a no-op for version 1, which has none).</summary>
    public static void CheckMac(Parsed parsed, MasterKey key)
    {
        if (parsed.Mac is null)
        {
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(parsed.Mac, Mac(key, parsed.Body)))
        {
            throw Corrupt("authentication failed: its mac does not verify under the master key (altered, or not this repository's config)");
        }
    }

    private static byte[] Mac(MasterKey key, byte[] body)
    {
        var macKey = HMACSHA256.HashData(key.EncryptionKey, MacLabel);
        return HMACSHA256.HashData(macKey, body);
    }

    private static RepositoryConfig Parse(byte[] bytes, int expectedVersion)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw Corrupt("the config body is not valid UTF-8");
        }

        RepositoryConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(bytes, ModelJsonContext.Default.RepositoryConfig);
        }
        catch (JsonException e)
        {
            throw Corrupt("not a valid config: " + e.Message);
        }

        if (config is null)
        {
            throw Corrupt("empty");
        }

        if (config.Version != expectedVersion)
        {
            throw Corrupt($"body version {config.Version} inside a version-{expectedVersion} config");
        }

        try
        {
            config.Validate();
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e.Message);
        }

        return config;
    }

    private static bool IsHex(string text, int length) => text.Length == length && text.All(Uri.IsHexDigit) && text == text.ToLowerInvariant();

    private static CorruptObjectException Corrupt(string detail) => new(ObjectHandle.Config, detail);

    /// <summary>A decoded config: its fields, its MAC (version 2, encrypted) and the bytes the MAC covers.</summary>
    public sealed record Parsed(RepositoryConfig Config, byte[]? Mac, byte[] Body);
}
