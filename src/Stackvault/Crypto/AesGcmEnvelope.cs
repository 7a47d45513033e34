using System.Security.Cryptography;

namespace Stackvault.Crypto;

/// <summary>The envelope of every encrypted object: nonce (12 random bytes) || ciphertext || tag (16 bytes), no associated data.</summary>
internal static class AesGcmEnvelope
{
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = NonceSize + TagSize;

    public static int Seal(AesGcm aes, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var length = plaintext.Length + Overhead;
        if (destination.Length < length)
        {
            throw new ArgumentException($"the destination needs {length} bytes, has {destination.Length}", nameof(destination));
        }

        var nonce = destination[..NonceSize];
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, destination.Slice(NonceSize, plaintext.Length), destination.Slice(NonceSize + plaintext.Length, TagSize));
        return length;
    }

    /// <summary>Decrypts; throws <see cref="AuthenticationTagMismatchException"/>, or <see cref="InvalidDataException"/> when too short.</summary>
    public static int Open(AesGcm aes, ReadOnlySpan<byte> envelope, Span<byte> destination)
    {
        var length = PlaintextLength(envelope.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"the destination needs {length} bytes, has {destination.Length}", nameof(destination));
        }

        aes.Decrypt(envelope[..NonceSize], envelope.Slice(NonceSize, length), envelope[^TagSize..], destination[..length]);
        return length;
    }

    public static int PlaintextLength(int envelopeLength) =>
        envelopeLength >= Overhead
            ? envelopeLength - Overhead
            : throw new InvalidDataException($"encrypted envelope has {envelopeLength} bytes, less than the {Overhead} of nonce and tag");
}
