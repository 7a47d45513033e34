using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Stackvault.Chunking;

/// <summary>
/// The FastCDC gear table for a repository: gear[i] = the first 8 bytes, little-endian, of
/// SHA-256("stackvault-gear-v1" || seed as 8 bytes little-endian || byte i).
/// </summary>
internal static class GearTable
{
    private static ReadOnlySpan<byte> Domain => "stackvault-gear-v1"u8;

    public static ulong[] Create(ulong seed)
    {
        var table = new ulong[256];
        Span<byte> input = stackalloc byte[Domain.Length + 9];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Domain.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[Domain.Length..], seed);
        for (var i = 0; i < table.Length; i++)
        {
            input[^1] = (byte)i;
            SHA256.HashData(input, hash);
            table[i] = BinaryPrimitives.ReadUInt64LittleEndian(hash);
        }

        return table;
    }
}
