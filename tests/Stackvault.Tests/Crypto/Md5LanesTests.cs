using System.Security.Cryptography;
using Stackvault.Crypto.Md5;
using Stackvault.Errors;

namespace Stackvault.Tests.Crypto;

/// <summary>
/// The MD5 that checks bucket downloads in lanes (<see cref="Md5Block"/>, <see cref="Md5Lanes"/>,
/// <see cref="Md5CheckedStream"/>) against the platform's MD5 (OpenSSL): every length around the block and padding
/// edges, every lane count, many streams at once with reads of odd sizes, and a damaged stream among healthy ones.
/// </summary>
public sealed class Md5LanesTests
{
#pragma warning disable CA5351 // the reference the lanes are checked against
    private static byte[] Reference(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351

    [Fact]
    public void Rfc1321_TestSuite()
    {
        string[] inputs = ["", "a", "abc", "message digest", "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890"];
        string[] digests = ["d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661", "900150983cd24fb0d6963f7d28e17f72",
            "f96b697d7cb7938d525a2f31aaf161d0", "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
            "57edf4a22be3c955ac49da2e2107b67a"];
        for (var i = 0; i < inputs.Length; i++)
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(inputs[i]);
            Assert.Equal(digests[i], Convert.ToHexStringLower(Digest(bytes)));
        }
    }

    [Fact]
    public void Scalar_EveryLengthAroundTheBlockAndPaddingEdges_MatchesTheReference()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        for (var length = 0; length <= data.Length; length++)
        {
            Assert.Equal(Reference(data.AsSpan(0, length)), Digest(data.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    public void Lanes_EachLaneIsItsOwnStream_MatchesTheReference(int count)
    {
        var inputs = Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)RandomNumberGenerator.GetBytes(64 * (40 + i))).ToArray();
        var states = Enumerable.Repeat(Md5State.Initial, count).ToArray();
        var offsets = new int[count];

        // 40 blocks in two calls of different lengths, then each lane's remaining blocks alone
        Md5Block.CompressLanes(states, inputs, offsets, count, 15);
        Md5Block.CompressLanes(states, inputs, offsets, count, 25);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(64 * 40, offsets[i]);
            Md5Block.CompressOne(ref states[i], inputs[i].Span[offsets[i]..]);
            Assert.Equal(Reference(inputs[i].Span), states[i].Finish(default));
        }
    }

    [Fact]
    public void Lanes_InputShorterThanTheBlocksAsked_Refused()
    {
        ReadOnlyMemory<byte>[] inputs = [new byte[128], new byte[64]];
        var states = new[] { Md5State.Initial, Md5State.Initial };
        Assert.Throws<ArgumentException>(() => Md5Block.CompressLanes(states, inputs, new int[2], 2, 2));
    }

    [Fact]
    public async Task Scheduler_ManyStreamsAtOnce_EachGetsItsOwnDigest()
    {
        var lanes = new Md5Lanes();
        var data = Enumerable.Range(0, 24).Select(i => RandomNumberGenerator.GetBytes((64 * 1024 * (1 + (i % 5))) + (i * 64))).ToArray();
        var digests = await Task.WhenAll(data.Select(d => Task.Run(async () =>
        {
            var digest = new Md5Digest();
            for (var at = 0; at < d.Length; at += 4096 * 3)
            {
                var piece = Math.Min(4096 * 3, d.Length - at);
                await lanes.Submit(digest, d.AsMemory(at, piece)).HashedAsync();
            }

            return digest.State.Finish(default);
        })));
        for (var i = 0; i < data.Length; i++)
        {
            Assert.Equal(Reference(data[i]), digests[i]);
        }
    }

    [Fact]
    public async Task Scheduler_PartialBlock_Refused()
    {
        await Task.Yield();
        Assert.Throws<ArgumentException>(() => new Md5Lanes().Submit(new Md5Digest(), new byte[65]));
    }

    public static TheoryData<int> Lengths => new() { 0, 1, 63, 64, 65, Md5CheckedStream.BufferSize - 1, Md5CheckedStream.BufferSize, Md5CheckedStream.BufferSize + 1, (Md5CheckedStream.BufferSize * 2) + 55, (Md5CheckedStream.BufferSize * 3) + 64 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task Stream_ReadToTheEndInOddPieces_ContentIntactAndChecked(int length)
    {
        var data = RandomNumberGenerator.GetBytes(length);
        using var stream = new Md5CheckedStream(new TricklingStream(data), Reference(data), (_, _) => "mismatch");
        var copy = new MemoryStream();
        var buffer = new byte[7777];
        int n;
        while ((n = await stream.ReadAsync(buffer.AsMemory(0, Random.Shared.Next(1, buffer.Length)))) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(0, await stream.ReadAsync(buffer)); // the end again: no second check, no error
    }

    [Fact]
    public async Task Stream_OneDamagedAmongHealthyOnesReadAtOnce_OnlyItFailsNamingBothDigestsAndTheLength()
    {
        var data = Enumerable.Range(0, 9).Select(_ => RandomNumberGenerator.GetBytes(700_001)).ToArray();
        var expected = data.Select(d => Reference(d)).ToArray();
        data[4][350_000] ^= 0x01; // one bit flipped on the way
        var results = await Task.WhenAll(data.Select((d, i) => Task.Run(async () =>
        {
            using var stream = new Md5CheckedStream(new TricklingStream(d), expected[i], (actual, read) => $"{read} bytes, MD5 {Convert.ToHexStringLower(actual)}");
            try
            {
                await stream.CopyToAsync(Stream.Null);
                return null;
            }
            catch (StackvaultException e)
            {
                return e.Message;
            }
        })));
        for (var i = 0; i < data.Length; i++)
        {
            if (i == 4)
            {
                Assert.Equal($"700001 bytes, MD5 {Convert.ToHexStringLower(Reference(data[4]))}", results[i]);
            }
            else
            {
                Assert.Null(results[i]);
            }
        }
    }

    [Fact]
    public async Task Stream_DisposedMidway_NoCheckNoError()
    {
        var data = RandomNumberGenerator.GetBytes(Md5CheckedStream.BufferSize * 3);
        var stream = new Md5CheckedStream(new TricklingStream(data), new byte[16], (_, _) => "mismatch");
        var buffer = new byte[1000];
        Assert.Equal(1000, await stream.ReadAsync(buffer));
        Assert.Equal(data.AsSpan(0, 1000).ToArray(), buffer);
        stream.Dispose();
    }

    private static byte[] Digest(ReadOnlySpan<byte> data)
    {
        var state = Md5State.Initial;
        var whole = data.Length - (data.Length % 64);
        Md5Block.CompressOne(ref state, data[..whole]);
        return state.Finish(data[whole..]);
    }

    /// <summary>A stream that answers each read with fewer bytes than asked, as a socket does.</summary>
    private sealed class TricklingStream(byte[] data) : Stackvault.Export.ReadOnlyStream
    {
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + (_position % 50_000));
            data.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }
    }
}
