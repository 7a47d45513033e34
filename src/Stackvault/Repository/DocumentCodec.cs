using System.Buffers.Binary;
using Stackvault.Compression;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// Encodes the repository's documents (index files, snapshots) as stored objects:
/// <c>seal( encoding:u8 || body )</c>, where encoding 0 means the body is the plaintext and encoding 1 means
/// <c>raw_length:u64le || zstd frame</c>. Decoding checks every length and names the object in errors.
/// </summary>
public sealed class DocumentCodec(ObjectCipher cipher, int compressionLevel)
{
    public const byte EncodingRaw = 0;
    public const byte EncodingZstd = 1;
    public const int MaxDocumentSize = 1 << 30;

    private const int ZstdPrefixSize = 9;

    public byte[] Encode(ReadOnlySpan<byte> plaintext)
    {
        var bound = ZstdCompressor.CompressBound(plaintext.Length);
        var framed = new byte[ZstdPrefixSize + bound];
        int size;
        using (var compressor = new ZstdCompressor(compressionLevel))
        {
            size = compressor.Compress(plaintext, framed.AsSpan(ZstdPrefixSize));
        }

        ReadOnlySpan<byte> body;
        if (size < plaintext.Length)
        {
            framed[0] = EncodingZstd;
            BinaryPrimitives.WriteUInt64LittleEndian(framed.AsSpan(1), (ulong)plaintext.Length);
            body = framed.AsSpan(0, ZstdPrefixSize + size);
        }
        else
        {
            var raw = new byte[plaintext.Length + 1];
            raw[0] = EncodingRaw;
            plaintext.CopyTo(raw.AsSpan(1));
            body = raw;
        }

        return cipher.Seal(body);
    }

    public byte[] Decode(ObjectHandle handle, ReadOnlySpan<byte> stored)
    {
        byte[] body;
        try
        {
            body = cipher.Open(stored);
        }
        catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw new CorruptObjectException(handle, "authentication failed (" + e.Message + ")");
        }

        if (body.Length < 1)
        {
            throw new CorruptObjectException(handle, "empty document: no encoding byte");
        }

        switch (body[0])
        {
            case EncodingRaw:
                return body.AsSpan(1).ToArray();
            case EncodingZstd:
                if (body.Length < ZstdPrefixSize)
                {
                    throw new CorruptObjectException(handle, "zstd document shorter than its 9-byte prefix");
                }

                var rawLength = BinaryPrimitives.ReadUInt64LittleEndian(body.AsSpan(1));
                if (rawLength > MaxDocumentSize)
                {
                    throw new CorruptObjectException(handle, $"raw_length {rawLength} exceeds the {MaxDocumentSize}-byte limit");
                }

                var plain = new byte[(int)rawLength];
                try
                {
                    using var decompressor = new ZstdDecompressor();
                    decompressor.Decompress(body.AsSpan(ZstdPrefixSize), plain);
                }
                catch (Exception e) when (e is InvalidDataException or StackvaultException)
                {
                    throw new CorruptObjectException(handle, "zstd frame: " + e.Message);
                }

                return plain;
            default:
                throw new CorruptObjectException(handle, $"unknown encoding byte {body[0]}");
        }
    }
}
