using System.Security.Cryptography;
using Stackvault.Repository;

namespace Stackvault.Crypto;

/// <summary>
/// Computes blob ids from plaintext: HMAC-SHA-256 keyed with the master key's IdKey in an encrypted repository (so ids
/// reveal nothing about content), plain SHA-256 in an unencrypted one. Thread-safe.
/// </summary>
public sealed class BlobHasher
{
    private readonly byte[]? _idKey;

    /// <param name="key">The master key, or null for an unencrypted repository.</param>
    public BlobHasher(MasterKey? key)
    {
        _idKey = key?.IdKey.ToArray();
    }

    public bool IsKeyed => _idKey is not null;

    public ObjectId ComputeId(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> hash = stackalloc byte[ObjectId.Size];
        if (_idKey is null)
        {
            SHA256.HashData(plaintext, hash);
        }
        else
        {
            HMACSHA256.HashData(_idKey, plaintext, hash);
        }

        return new ObjectId(hash);
    }
}
