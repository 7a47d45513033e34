using Stackvault.Repository;

namespace Stackvault.Crypto;

/// <summary>
/// Computes blob ids from plaintext with the repository's <see cref="ContentHash"/>: keyed with the master key's IdKey
/// in an encrypted repository (HMAC-SHA-256 or keyed BLAKE3, so ids reveal nothing about content), unkeyed in an
/// unencrypted one. Thread-safe.
/// </summary>
public sealed class BlobHasher
{
    private readonly byte[]? _idKey;
    private readonly ContentHash _hash;

    /// <param name="key">The master key, or null for an unencrypted repository.</param>
    /// <param name="hash">The repository's hash (config <c>hash</c>).</param>
    public BlobHasher(MasterKey? key, ContentHash hash)
    {
        _idKey = key?.IdKey.ToArray();
        _hash = hash;
    }

    public bool IsKeyed => _idKey is not null;

    public ObjectId ComputeId(ReadOnlySpan<byte> plaintext)
    {
        Span<byte> hash = stackalloc byte[ObjectId.Size];
        if (_idKey is null)
        {
            _hash.Hash(plaintext, hash);
        }
        else
        {
            _hash.HashKeyed(_idKey, plaintext, hash);
        }

        return new ObjectId(hash);
    }
}
