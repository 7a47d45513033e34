using System.Security.Cryptography;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// Names of content-addressed objects: the SHA-256 of the stored bytes, as 64 lower-case hex digits. Packs are named
/// with the repository's hash instead (<see cref="Crypto.ContentHash.CheckPack"/>; SHA-256 or BLAKE3).
/// </summary>
public static class ObjectNames
{
    public static ObjectHandle For(ObjectKind kind, ReadOnlySpan<byte> stored) => For(kind, IdOf(stored));

    public static ObjectHandle For(ObjectKind kind, ObjectId id) => new(kind, id.ToString());

    /// <summary>The id of a content-addressed object: the SHA-256 of its stored bytes.</summary>
    public static ObjectId IdOf(ReadOnlySpan<byte> stored) => new(SHA256.HashData(stored));

    /// <summary>The id a content-addressed handle names; its name was checked when it was listed or computed.</summary>
    public static ObjectId IdOf(ObjectHandle handle) => ObjectId.Parse(handle.Name);

    /// <summary>Checks that the stored bytes hash to the object's name (invariant 5).</summary>
    public static void Check(ObjectHandle handle, ReadOnlySpan<byte> stored)
    {
        var actual = Convert.ToHexStringLower(SHA256.HashData(stored));
        if (actual != handle.Name)
        {
            throw new CorruptObjectException(handle, $"content hash is {actual[..16]}..., not its name ({stored.Length} bytes)");
        }
    }
}
