namespace Stackvault.Crypto;

/// <summary>The clear-text facts of a key file, readable without its password (for <c>key list</c>).</summary>
public sealed record KeyFileInfo(int Version, DateTimeOffset Created, string Hostname, string Username, string Kdf, int Iterations);
