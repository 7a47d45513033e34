using System.Buffers;
using System.Collections.Concurrent;
using Stackvault.Compression;
using Stackvault.Crypto;
using Stackvault.Errors;
using Stackvault.Storage;

namespace Stackvault.Repository;

/// <summary>
/// Turns blobs into their stored form and back: <c>seal(payload)</c>, where the payload is one zstd frame of the
/// blob when that saves at least 1/32 of its size, else the blob itself. Decoding authenticates, decompresses,
/// checks the plaintext length and recomputes the blob id (invariant 5), naming the pack on failure.
/// </summary>
public sealed class BlobCodec(ObjectCipher cipher, BlobHasher hasher, int compressionLevel)
{
    private readonly ConcurrentBag<ZstdDecompressor> _decompressors = [];

    public ObjectCipher Cipher => cipher;

    public BlobHasher Hasher => hasher;

    public int CompressionLevel => compressionLevel;

    /// <summary>The most bytes a stored blob of that plaintext length can take.</summary>
    public int MaxEncodedLength(int rawLength) => Math.Max(ZstdCompressor.CompressBound(rawLength), rawLength) + cipher.Overhead;

    /// <summary>
    /// Writes the stored form of a blob into <paramref name="scratch"/> (at least MaxEncodedLength bytes, owned by
    /// the caller's thread) and returns its length: the sealed zstd frame when that saves at least 1/32 (compressed
    /// and sealed in place), else the sealed blob itself.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> blob, ZstdCompressor compressor, Span<byte> scratch, out BlobFlags flags)
    {
        var payload = scratch[cipher.PlaintextOffset..];
        var compressed = compressor.Compress(blob, payload);
        if (compressed <= blob.Length - (blob.Length / 32) && compressed < blob.Length)
        {
            flags = BlobFlags.Zstd;
            return cipher.Seal(payload[..compressed], scratch);
        }

        flags = BlobFlags.None;
        return cipher.Seal(blob, scratch);
    }

    /// <summary>Decodes a stored blob into <paramref name="destination"/> (exactly RawLength bytes) and checks its id.</summary>
    public void Decode(ReadOnlySpan<byte> stored, in BlobLocation location, ObjectHandle pack, Span<byte> destination)
    {
        CheckDestination(location, destination);
        var payload = Stackvault.Buffers.BufferPool.Rent(Math.Max(1, stored.Length));
        try
        {
            int payloadLength;
            try
            {
                payloadLength = cipher.Open(stored, payload);
            }
            catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                throw Corrupt(pack, location, "authentication failed");
            }

            DecodePayload(payload.AsSpan(0, payloadLength), location, pack, destination);
        }
        finally
        {
            Stackvault.Buffers.BufferPool.Return(payload);
        }
    }

    /// <summary>
    /// As <see cref="Decode"/>, but decrypts in place in <paramref name="stored"/> (whose bytes are overwritten): no
    /// buffer besides the caller's two, so a reader holds one stored and one plaintext buffer per blob in flight.
    /// </summary>
    public void DecodeInPlace(Span<byte> stored, in BlobLocation location, ObjectHandle pack, Span<byte> destination)
    {
        CheckDestination(location, destination);
        int payloadLength;
        try
        {
            payloadLength = cipher.OpenInPlace(stored);
        }
        catch (Exception e) when (e is InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw Corrupt(pack, location, "authentication failed");
        }

        DecodePayload(stored.Slice(cipher.PlaintextOffset, payloadLength), location, pack, destination);
    }

    private static void CheckDestination(in BlobLocation location, Span<byte> destination)
    {
        if (destination.Length != location.RawLength)
        {
            throw new ArgumentException("destination must be exactly RawLength bytes", nameof(destination));
        }
    }

    private void DecodePayload(ReadOnlySpan<byte> payload, in BlobLocation location, ObjectHandle pack, Span<byte> destination)
    {
        if ((location.Flags & BlobFlags.Zstd) != 0)
        {
            var decompressor = _decompressors.TryTake(out var d) ? d : new ZstdDecompressor();
            try
            {
                decompressor.Decompress(payload, destination);
            }
            catch (Exception e) when (e is InvalidDataException or StackvaultException)
            {
                throw Corrupt(pack, location, "zstd: " + e.Message);
            }
            finally
            {
                _decompressors.Add(decompressor);
            }
        }
        else if (payload.Length != location.RawLength)
        {
            throw Corrupt(pack, location, $"raw payload is {payload.Length} bytes, expected {location.RawLength}");
        }
        else
        {
            payload.CopyTo(destination);
        }

        if (hasher.ComputeId(destination) != location.Id)
        {
            throw Corrupt(pack, location, "content does not match its id");
        }
    }

    private static CorruptObjectException Corrupt(ObjectHandle pack, in BlobLocation location, string detail) =>
        new(pack, $"blob {location.Id.ToShortString()} at offset {location.Offset}: {detail}");
}
