using Stackvault.Chunking;
using Stackvault.Crypto;

namespace Stackvault.Repository;

/// <summary>Options for <c>init</c>, validated before anything is written.</summary>
public sealed class RepositoryInitOptions
{
    public bool Encrypted { get; init; } = true;

    public string? Password { get; init; }

    /// <summary>
    /// zstd level 2 for new repositories (3 until stop 17): on the generated 1 GiB stack it costs 25-30 % less CPU
    /// than level 3 for a repository 2.9 % larger (levels 2 and 3 use the same match finder; 3 searches larger tables).
    /// docs/benchmarks.md, "Compression level".
    /// </summary>
    public const int DefaultCompressionLevel = 2;

    public int CompressionLevel { get; init; } = DefaultCompressionLevel;

    public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;

    /// <summary>
    /// The hash of blob ids and pack names. BLAKE3 for new repositories (config version 3): a full backup hashes every
    /// byte read and every byte stored, and BLAKE3 does it at 2.5-3x SHA-256's speed here (docs/benchmarks.md, stop 21).
    /// SHA-256 writes a version-2 config, which builds before version 3 read.
    /// </summary>
    public ContentHash Hash { get; init; } = ContentHash.Blake3;

    public int PackSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>PBKDF2 iterations for the key file; tests lower it.</summary>
    public int KdfIterations { get; init; } = 600_000;

    public void Validate()
    {
        if (Encrypted && string.IsNullOrEmpty(Password))
        {
            throw new Errors.UsageException("an encrypted repository needs a non-empty password (or use --no-encryption)");
        }

        if (CompressionLevel is < -7 or > 22)
        {
            throw new Errors.UsageException($"compression level {CompressionLevel} is outside -7..22");
        }

        if (PackSize is < 1024 or > 1 << 30)
        {
            throw new Errors.UsageException($"pack size {PackSize} is outside 1 KiB..1 GiB");
        }
    }
}
