using Stackvault.Chunking;

namespace Stackvault.Repository;

/// <summary>Options for <c>init</c>, validated before anything is written.</summary>
public sealed class RepositoryInitOptions
{
    public bool Encrypted { get; init; } = true;

    public string? Password { get; init; }

    public int CompressionLevel { get; init; } = 3;

    public ChunkerParameters Chunker { get; init; } = ChunkerParameters.Default;

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
