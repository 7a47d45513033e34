namespace Stackvault.Repository.Model;

/// <summary>
/// The repository's <c>config</c> object: plaintext JSON, written once by init. It holds no secret: with
/// encryption, the chunker seed lives in the master key; without, in <see cref="ChunkerSeed"/>.
/// </summary>
public sealed class RepositoryConfig
{
    public const int CurrentVersion = 1;
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

    /// <summary>Only in unencrypted repositories: the FastCDC gear seed, 16 lower-case hex digits.</summary>
    public string? ChunkerSeed { get; set; }

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

        if (!IsEncrypted && (ChunkerSeed is null || ChunkerSeed.Length != 16))
        {
            throw new InvalidDataException("config: chunker_seed must be 16 hex digits in an unencrypted repository");
        }
    }
}
