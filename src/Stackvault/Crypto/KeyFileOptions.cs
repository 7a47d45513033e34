namespace Stackvault.Crypto;

/// <summary>How <see cref="KeyFile.Create"/> writes a key file.</summary>
public sealed record KeyFileOptions
{
    public const int DefaultIterations = 600_000;

    /// <summary>PBKDF2-SHA256 iterations; at least <see cref="KeyFile.MinIterations"/> (tests use that to stay fast).</summary>
    public int Iterations { get; init; } = DefaultIterations;

    public string Hostname { get; init; } = Environment.MachineName;

    public string Username { get; init; } = Environment.UserName;
}
