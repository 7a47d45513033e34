using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Stackvault.Crypto;

/// <summary>
/// Seals and opens objects with AES-256-GCM (envelope: nonce (12) || ciphertext || tag (16), no associated data), or copies
/// them unchanged in an unencrypted repository. Thread-safe: AesGcm instances are pooled, one in use per thread.
/// Open failures (<see cref="AuthenticationTagMismatchException"/>, <see cref="InvalidDataException"/>) map to CorruptObjectException.
/// </summary>
public sealed class ObjectCipher
{
    private readonly byte[]? _key;
    private readonly ConcurrentBag<AesGcm> _pool = [];

    /// <param name="key">The master key, or null for an unencrypted repository.</param>
    public ObjectCipher(MasterKey? key)
    {
        _key = key?.EncryptionKey.ToArray();
    }

    public bool IsEncrypted => _key is not null;

    /// <summary>Envelope bytes beyond the plaintext: 28 when encrypted, else 0.</summary>
    public int Overhead => IsEncrypted ? AesGcmEnvelope.Overhead : 0;

    /// <summary>Where the ciphertext starts in an envelope: 12 (after the nonce) when encrypted, else 0.</summary>
    public int PlaintextOffset => IsEncrypted ? AesGcmEnvelope.NonceSize : 0;

    /// <summary>
    /// Writes the envelope of <paramref name="plaintext"/> and returns its length, plaintext.Length + Overhead. The
    /// plaintext must not overlap the destination, or be exactly <c>destination[PlaintextOffset..]</c> (sealed in place).
    /// </summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        if (_key is null)
        {
            plaintext.CopyTo(destination);
            return plaintext.Length;
        }

        var aes = Rent();
        try
        {
            return AesGcmEnvelope.Seal(aes, plaintext, destination);
        }
        finally
        {
            _pool.Add(aes);
        }
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var envelope = new byte[plaintext.Length + Overhead];
        Seal(plaintext, envelope);
        return envelope;
    }

    /// <summary>Verifies and decrypts <paramref name="envelope"/> (must not overlap); returns the plaintext length, envelope.Length - Overhead.</summary>
    public int Open(ReadOnlySpan<byte> envelope, Span<byte> destination)
    {
        if (_key is null)
        {
            envelope.CopyTo(destination);
            return envelope.Length;
        }

        var aes = Rent();
        try
        {
            return AesGcmEnvelope.Open(aes, envelope, destination);
        }
        finally
        {
            _pool.Add(aes);
        }
    }

    /// <summary>
    /// Verifies and decrypts <paramref name="envelope"/> in place (no second buffer): the plaintext is left at
    /// <c>envelope[PlaintextOffset..][..length]</c>; returns its length. The envelope's bytes are overwritten.
    /// </summary>
    public int OpenInPlace(Span<byte> envelope)
    {
        if (_key is null)
        {
            return envelope.Length;
        }

        var length = AesGcmEnvelope.PlaintextLength(envelope.Length);
        var aes = Rent();
        try
        {
            return AesGcmEnvelope.Open(aes, envelope, envelope.Slice(AesGcmEnvelope.NonceSize, length));
        }
        finally
        {
            _pool.Add(aes);
        }
    }

    public byte[] Open(ReadOnlySpan<byte> envelope)
    {
        var plaintext = new byte[IsEncrypted ? AesGcmEnvelope.PlaintextLength(envelope.Length) : envelope.Length];
        Open(envelope, plaintext);
        return plaintext;
    }

    private AesGcm Rent() => _pool.TryTake(out var aes) ? aes : new AesGcm(_key!, AesGcmEnvelope.TagSize);
}
