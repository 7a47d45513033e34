namespace Stackvault.Repository.Model;

/// <summary>
/// The repository's <c>config</c> object: plaintext JSON, written once by init, inside the authenticated envelope of
/// <see cref="ConfigCodec"/> (version 3 with a <c>hash</c> field, or version 2 for a SHA-256 repository, which older
/// builds read; version 1, plain, is still read). Unknown fields are an error. It holds no secret: with
/// encryption, the chunker seed lives in the master key; without, in <see cref="ChunkerSeed"/>.
/// </summary>
[System.Text.Json.Serialization.JsonUnmappedMemberHandling(System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow)]
public sealed class RepositoryConfig
{
    public const int CurrentVersion = 3;

    /// <summary>The first version with the <c>hash</c> field (docs/design.md section 10).</summary>
    public const int HashVersion = 3;
    public const string EncryptionAesGcm = "aes-256-gcm";
    public const string EncryptionNone = "none";

    public int Version { get; set; } = CurrentVersion;

    public string Id { get; set; } = string.Empty;

    public DateTimeOffset Created { get; set; }

    public string Encryption { get; set; } = EncryptionAesGcm;

    public string Compression { get; set; } = "zstd";

    public int CompressionLevel { get; set; } = 3;

    public string Chunker { get; set; } = "fastcdc";

    public int ChunkMinSize { get; set; } = 512 * 1024;

    public int ChunkAvgSize { get; set; } = 1024 * 1024;

    public int ChunkMaxSize { get; set; } = 8 * 1024 * 1024;

    public int PackSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Version 3 only, and required there: the hash of blob ids and pack names, <c>sha256</c> or <c>blake3</c>. Absent
    /// in versions 1 and 2, which mean SHA-256.
    /// </summary>
    public string? Hash { get; set; }

    /// <summary>The hash of blob ids and pack names this config names.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Crypto.ContentHash ContentHash => Crypto.ContentHash.Named(Hash);

    /// <summary>Only in unencrypted repositories: the FastCDC gear seed, 16 lower-case hex digits.</summary>
    public string? ChunkerSeed { get; set; }

    /// <summary>Written by early version-1 builds (a computed property that leaked into the JSON); read and ignored.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("is_encrypted")]
    public bool LegacyIsEncrypted { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEncrypted => Encryption == EncryptionAesGcm;

    /// <summary>Checks the fields another implementation could have written wrongly, naming the bad one.</summary>
    public void Validate()
    {
        if (Version > CurrentVersion)
        {
            throw new Errors.UnsupportedVersionException("repository config", Version, CurrentVersion);
        }

        if (Version < 1)
        {
            throw new InvalidDataException($"config: version {Version} is not valid");
        }

        if (Id.Length != 64 || !Id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            throw new InvalidDataException("config: id must be 64 lower-case hex digits");
        }

        if ((Version >= HashVersion) != (Hash is not null))
        {
            throw new InvalidDataException(Hash is null
                ? $"config: version {Version} needs a 'hash' field"
                : $"config: a version-{Version} config has no 'hash' field (it came with version {HashVersion})");
        }

        _ = ContentHash; // an unknown hash name is an error, never a default

        if (Encryption is not (EncryptionAesGcm or EncryptionNone))
        {
            throw new InvalidDataException($"config: encryption '{Encryption}' is not one of {EncryptionAesGcm}, {EncryptionNone}");
        }

        if (Compression != "zstd" || CompressionLevel is < -7 or > 22)
        {
            throw new InvalidDataException($"config: compression '{Compression}' level {CompressionLevel} is not supported (zstd, -7..22)");
        }

        if (Chunker != "fastcdc")
        {
            throw new InvalidDataException($"config: chunker '{Chunker}' is not supported");
        }

        if (PackSize is < 1024 or > 1 << 30)
        {
            throw new InvalidDataException($"config: pack_size {PackSize} is outside 1 KiB..1 GiB");
        }

        if (!IsEncrypted && (ChunkerSeed is null || ChunkerSeed.Length != 16 || !ChunkerSeed.All(Uri.IsHexDigit)))
        {
            throw new InvalidDataException("config: chunker_seed must be 16 hex digits in an unencrypted repository");
        }

        if (IsEncrypted && ChunkerSeed is not null)
        {
            throw new InvalidDataException("config: chunker_seed must not appear in an encrypted repository (the master key holds it)");
        }

        if (LegacyIsEncrypted && !IsEncrypted)
        {
            throw new InvalidDataException("config: is_encrypted contradicts encryption 'none'");
        }

        if (ChunkMinSize <= 0 || ChunkAvgSize <= ChunkMinSize || ChunkMaxSize <= ChunkAvgSize || ChunkMaxSize > 64 << 20)
        {
            throw new InvalidDataException($"config: chunk sizes {ChunkMinSize}/{ChunkAvgSize}/{ChunkMaxSize} are not min < avg < max <= 64 MiB");
        }
    }
}
