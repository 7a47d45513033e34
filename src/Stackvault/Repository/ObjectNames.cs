using System.Security.Cryptography;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>Names of content-addressed objects: the SHA-256 of the stored bytes, as 64 lower-case hex digits.</summary>
public static class ObjectNames
{
    public static ObjectHandle For(ObjectKind kind, ReadOnlySpan<byte> stored) => new(kind, Convert.ToHexStringLower(SHA256.HashData(stored)));

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
