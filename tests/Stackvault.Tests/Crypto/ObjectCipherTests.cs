using System.Security.Cryptography;
using Stackvault.Crypto;

namespace Stackvault.Tests.Crypto;

public class ObjectCipherTests
{
    private readonly ObjectCipher _cipher = new(MasterKey.Generate());

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    public void Open_SealedPlaintext_RoundTrips(int length)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var envelope = _cipher.Seal(plaintext);
        Assert.Equal(length + 28, envelope.Length);
        Assert.Equal(plaintext, _cipher.Open(envelope));

        var destination = new byte[length + 5];
        Assert.Equal(length, _cipher.Open(envelope, destination));
        Assert.True(plaintext.AsSpan().SequenceEqual(destination.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Seal_InPlaceAtPlaintextOffset_OpensToThePlaintext(bool encrypted)
    {
        var cipher = encrypted ? _cipher : new ObjectCipher(null);
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        var buffer = new byte[plaintext.Length + cipher.Overhead + 7];
        plaintext.CopyTo(buffer, cipher.PlaintextOffset);

        var length = cipher.Seal(buffer.AsSpan(cipher.PlaintextOffset, plaintext.Length), buffer);

        Assert.Equal(plaintext.Length + cipher.Overhead, length);
        Assert.Equal(encrypted, !buffer.AsSpan(cipher.PlaintextOffset, plaintext.Length).SequenceEqual(plaintext));
        Assert.Equal(plaintext, cipher.Open(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Open_AnyBitFlipped_ThrowsTagMismatch()
    {
        var envelope = _cipher.Seal("ten bytes!"u8);
        for (var bit = 0; bit < envelope.Length * 8; bit++)
        {
            var tampered = (byte[])envelope.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<AuthenticationTagMismatchException>(() => _cipher.Open(tampered));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public void Open_Truncated_Throws(int removed)
    {
        var envelope = _cipher.Seal("some plaintext"u8);
        var ex = Record.Exception(() => _cipher.Open(envelope.AsSpan(0, envelope.Length - removed)));
        Assert.True(ex is AuthenticationTagMismatchException or InvalidDataException, ex?.GetType().Name);
        Assert.Throws<InvalidDataException>(() => _cipher.Open(envelope.AsSpan(0, 27)));
    }

    [Fact]
    public void Seal_SamePlaintextTwice_DifferentEnvelopes()
    {
        var plaintext = new byte[100];
        Assert.NotEqual(_cipher.Seal(plaintext), _cipher.Seal(plaintext));
    }

    [Fact]
    public void Open_OtherKey_ThrowsTagMismatch()
    {
        var envelope = _cipher.Seal("secret"u8);
        Assert.Throws<AuthenticationTagMismatchException>(() => new ObjectCipher(MasterKey.Generate()).Open(envelope));
    }

    [Fact]
    public void Seal_Unencrypted_IsIdentity()
    {
        var cipher = new ObjectCipher(null);
        var plaintext = RandomNumberGenerator.GetBytes(1000);
        Assert.False(cipher.IsEncrypted);
        Assert.Equal(0, cipher.Overhead);
        Assert.Equal(plaintext, cipher.Seal(plaintext));
        Assert.Equal(plaintext, cipher.Open(plaintext));
        Assert.True(_cipher.IsEncrypted);
        Assert.Equal(28, _cipher.Overhead);
    }

    [Fact]
    public void Seal_DestinationTooSmall_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => _cipher.Seal(new byte[10], new byte[37]));
    }

    [Fact]
    public void SealAndOpen_ManyThreads_AllRoundTrip()
    {
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var plaintext = BitConverter.GetBytes(i);
            Assert.Equal(plaintext, _cipher.Open(_cipher.Seal(plaintext)));
        });
    }
}
