using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stackvault.Crypto.Md5;

/// <summary>
/// MD5's compression function (RFC 1321; the steps unrolled, their constants T[i] = floor(2^32 * abs(sin(i + 1))))
/// over 64-byte blocks: <see cref="CompressOne"/> one stream, <see cref="CompressTwo"/> two interleaved, and
/// <see cref="CompressLanes"/> up to <see cref="Lanes"/> independent streams in lockstep, one 32-bit lane of a 256-bit
/// vector each. MD5 is one chain of dependent steps, so one stream keeps a core waiting on latency (about 5 cycles a
/// byte, OpenSSL's assembly included); independent streams fill the wait: two interleaved in scalar code run at 1.7
/// times one stream's bytes a second, eight in the vector's lanes at 4.4 times (docs/benchmarks.md, stop 27). Bucket
/// backups check every object's MD5 (its ETag) and were spending 40% of their CPU on it.
/// </summary>
internal static class Md5Block
{
    /// <summary>The streams one <see cref="CompressLanes"/> call hashes at once.</summary>
    public const int Lanes = 8;

    public const int BlockSize = 64;

    /// <summary>Whether <see cref="CompressLanes"/> runs in vector lanes here (else it hashes the streams one by one).</summary>
    public static bool LanesAccelerated => Avx2.IsSupported && BitConverter.IsLittleEndian;

    /// <summary>One stream's blocks in scalar code, unrolled (about 0.9 of OpenSSL's assembly here).</summary>
    public static void CompressOne(ref Md5State s0, ReadOnlySpan<byte> data0)
    {
        if (data0.Length % BlockSize != 0)
        {
            throw new ArgumentException("MD5 compresses whole 64-byte blocks", nameof(data0));
        }

        ref var p0 = ref MemoryMarshal.GetReference(data0);
        var (a0, b0, c0, d0) = (s0.A, s0.B, s0.C, s0.D);
        for (var n = data0.Length / BlockSize; n > 0; n--)
        {
            var (aa0, bb0, cc0, dd0) = (a0, b0, c0, d0);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 0) + 0xd76aa478u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 1) + 0xe8c7b756u + (c0 ^ (a0 & (b0 ^ c0))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 2) + 0x242070dbu + (b0 ^ (d0 & (a0 ^ b0))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 3) + 0xc1bdceeeu + (a0 ^ (c0 & (d0 ^ a0))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 4) + 0xf57c0fafu + (d0 ^ (b0 & (c0 ^ d0))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 5) + 0x4787c62au + (c0 ^ (a0 & (b0 ^ c0))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 6) + 0xa8304613u + (b0 ^ (d0 & (a0 ^ b0))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 7) + 0xfd469501u + (a0 ^ (c0 & (d0 ^ a0))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 8) + 0x698098d8u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 9) + 0x8b44f7afu + (c0 ^ (a0 & (b0 ^ c0))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 10) + 0xffff5bb1u + (b0 ^ (d0 & (a0 ^ b0))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 11) + 0x895cd7beu + (a0 ^ (c0 & (d0 ^ a0))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 12) + 0x6b901122u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 13) + 0xfd987193u + (c0 ^ (a0 & (b0 ^ c0))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 14) + 0xa679438eu + (b0 ^ (d0 & (a0 ^ b0))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 15) + 0x49b40821u + (a0 ^ (c0 & (d0 ^ a0))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 1) + 0xf61e2562u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 6) + 0xc040b340u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 11) + 0x265e5a51u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 0) + 0xe9b6c7aau + (d0 ^ (a0 & (c0 ^ d0))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 5) + 0xd62f105du + (c0 ^ (d0 & (b0 ^ c0))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 10) + 0x02441453u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 15) + 0xd8a1e681u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 4) + 0xe7d3fbc8u + (d0 ^ (a0 & (c0 ^ d0))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 9) + 0x21e1cde6u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 14) + 0xc33707d6u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 3) + 0xf4d50d87u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 8) + 0x455a14edu + (d0 ^ (a0 & (c0 ^ d0))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 13) + 0xa9e3e905u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 2) + 0xfcefa3f8u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 7) + 0x676f02d9u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 12) + 0x8d2a4c8au + (d0 ^ (a0 & (c0 ^ d0))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 5) + 0xfffa3942u + (b0 ^ c0 ^ d0), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 8) + 0x8771f681u + (a0 ^ b0 ^ c0), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 11) + 0x6d9d6122u + (d0 ^ a0 ^ b0), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 14) + 0xfde5380cu + (c0 ^ d0 ^ a0), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 1) + 0xa4beea44u + (b0 ^ c0 ^ d0), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 4) + 0x4bdecfa9u + (a0 ^ b0 ^ c0), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 7) + 0xf6bb4b60u + (d0 ^ a0 ^ b0), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 10) + 0xbebfbc70u + (c0 ^ d0 ^ a0), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 13) + 0x289b7ec6u + (b0 ^ c0 ^ d0), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 0) + 0xeaa127fau + (a0 ^ b0 ^ c0), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 3) + 0xd4ef3085u + (d0 ^ a0 ^ b0), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 6) + 0x04881d05u + (c0 ^ d0 ^ a0), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 9) + 0xd9d4d039u + (b0 ^ c0 ^ d0), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 12) + 0xe6db99e5u + (a0 ^ b0 ^ c0), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 15) + 0x1fa27cf8u + (d0 ^ a0 ^ b0), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 2) + 0xc4ac5665u + (c0 ^ d0 ^ a0), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 0) + 0xf4292244u + (c0 ^ (b0 | ~d0)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 7) + 0x432aff97u + (b0 ^ (a0 | ~c0)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 14) + 0xab9423a7u + (a0 ^ (d0 | ~b0)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 5) + 0xfc93a039u + (d0 ^ (c0 | ~a0)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 12) + 0x655b59c3u + (c0 ^ (b0 | ~d0)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 3) + 0x8f0ccc92u + (b0 ^ (a0 | ~c0)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 10) + 0xffeff47du + (a0 ^ (d0 | ~b0)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 1) + 0x85845dd1u + (d0 ^ (c0 | ~a0)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 8) + 0x6fa87e4fu + (c0 ^ (b0 | ~d0)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 15) + 0xfe2ce6e0u + (b0 ^ (a0 | ~c0)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 6) + 0xa3014314u + (a0 ^ (d0 | ~b0)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 13) + 0x4e0811a1u + (d0 ^ (c0 | ~a0)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 4) + 0xf7537e82u + (c0 ^ (b0 | ~d0)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 11) + 0xbd3af235u + (b0 ^ (a0 | ~c0)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 2) + 0x2ad7d2bbu + (a0 ^ (d0 | ~b0)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 9) + 0xeb86d391u + (d0 ^ (c0 | ~a0)), 21);
            (a0, b0, c0, d0) = (a0 + aa0, b0 + bb0, c0 + cc0, d0 + dd0);
            p0 = ref Unsafe.Add(ref p0, BlockSize);
        }

        (s0.A, s0.B, s0.C, s0.D) = (a0, b0, c0, d0);
        s0.Length += data0.Length;
    }

    /// <summary>
    /// Two streams' blocks (the same number of each) in one instruction stream: their steps interleaved, so the core
    /// runs one chain while the other waits, about twice the bytes a second of one.
    /// </summary>
    public static void CompressTwo(ref Md5State s0, ref Md5State s1, ReadOnlySpan<byte> data0, ReadOnlySpan<byte> data1)
    {
        if (data0.Length % BlockSize != 0 || data1.Length != data0.Length)
        {
            throw new ArgumentException("two streams of the same whole 64-byte blocks", nameof(data1));
        }

        ref var p0 = ref MemoryMarshal.GetReference(data0);
        ref var p1 = ref MemoryMarshal.GetReference(data1);
        var (a0, b0, c0, d0) = (s0.A, s0.B, s0.C, s0.D);
        var (a1, b1, c1, d1) = (s1.A, s1.B, s1.C, s1.D);
        for (var n = data0.Length / BlockSize; n > 0; n--)
        {
            var (aa0, bb0, cc0, dd0) = (a0, b0, c0, d0);
            var (aa1, bb1, cc1, dd1) = (a1, b1, c1, d1);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 0) + 0xd76aa478u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 0) + 0xd76aa478u + (d1 ^ (b1 & (c1 ^ d1))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 1) + 0xe8c7b756u + (c0 ^ (a0 & (b0 ^ c0))), 12);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 1) + 0xe8c7b756u + (c1 ^ (a1 & (b1 ^ c1))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 2) + 0x242070dbu + (b0 ^ (d0 & (a0 ^ b0))), 17);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 2) + 0x242070dbu + (b1 ^ (d1 & (a1 ^ b1))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 3) + 0xc1bdceeeu + (a0 ^ (c0 & (d0 ^ a0))), 22);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 3) + 0xc1bdceeeu + (a1 ^ (c1 & (d1 ^ a1))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 4) + 0xf57c0fafu + (d0 ^ (b0 & (c0 ^ d0))), 7);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 4) + 0xf57c0fafu + (d1 ^ (b1 & (c1 ^ d1))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 5) + 0x4787c62au + (c0 ^ (a0 & (b0 ^ c0))), 12);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 5) + 0x4787c62au + (c1 ^ (a1 & (b1 ^ c1))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 6) + 0xa8304613u + (b0 ^ (d0 & (a0 ^ b0))), 17);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 6) + 0xa8304613u + (b1 ^ (d1 & (a1 ^ b1))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 7) + 0xfd469501u + (a0 ^ (c0 & (d0 ^ a0))), 22);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 7) + 0xfd469501u + (a1 ^ (c1 & (d1 ^ a1))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 8) + 0x698098d8u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 8) + 0x698098d8u + (d1 ^ (b1 & (c1 ^ d1))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 9) + 0x8b44f7afu + (c0 ^ (a0 & (b0 ^ c0))), 12);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 9) + 0x8b44f7afu + (c1 ^ (a1 & (b1 ^ c1))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 10) + 0xffff5bb1u + (b0 ^ (d0 & (a0 ^ b0))), 17);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 10) + 0xffff5bb1u + (b1 ^ (d1 & (a1 ^ b1))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 11) + 0x895cd7beu + (a0 ^ (c0 & (d0 ^ a0))), 22);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 11) + 0x895cd7beu + (a1 ^ (c1 & (d1 ^ a1))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 12) + 0x6b901122u + (d0 ^ (b0 & (c0 ^ d0))), 7);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 12) + 0x6b901122u + (d1 ^ (b1 & (c1 ^ d1))), 7);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 13) + 0xfd987193u + (c0 ^ (a0 & (b0 ^ c0))), 12);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 13) + 0xfd987193u + (c1 ^ (a1 & (b1 ^ c1))), 12);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 14) + 0xa679438eu + (b0 ^ (d0 & (a0 ^ b0))), 17);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 14) + 0xa679438eu + (b1 ^ (d1 & (a1 ^ b1))), 17);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 15) + 0x49b40821u + (a0 ^ (c0 & (d0 ^ a0))), 22);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 15) + 0x49b40821u + (a1 ^ (c1 & (d1 ^ a1))), 22);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 1) + 0xf61e2562u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 1) + 0xf61e2562u + (c1 ^ (d1 & (b1 ^ c1))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 6) + 0xc040b340u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 6) + 0xc040b340u + (b1 ^ (c1 & (a1 ^ b1))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 11) + 0x265e5a51u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 11) + 0x265e5a51u + (a1 ^ (b1 & (d1 ^ a1))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 0) + 0xe9b6c7aau + (d0 ^ (a0 & (c0 ^ d0))), 20);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 0) + 0xe9b6c7aau + (d1 ^ (a1 & (c1 ^ d1))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 5) + 0xd62f105du + (c0 ^ (d0 & (b0 ^ c0))), 5);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 5) + 0xd62f105du + (c1 ^ (d1 & (b1 ^ c1))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 10) + 0x02441453u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 10) + 0x02441453u + (b1 ^ (c1 & (a1 ^ b1))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 15) + 0xd8a1e681u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 15) + 0xd8a1e681u + (a1 ^ (b1 & (d1 ^ a1))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 4) + 0xe7d3fbc8u + (d0 ^ (a0 & (c0 ^ d0))), 20);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 4) + 0xe7d3fbc8u + (d1 ^ (a1 & (c1 ^ d1))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 9) + 0x21e1cde6u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 9) + 0x21e1cde6u + (c1 ^ (d1 & (b1 ^ c1))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 14) + 0xc33707d6u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 14) + 0xc33707d6u + (b1 ^ (c1 & (a1 ^ b1))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 3) + 0xf4d50d87u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 3) + 0xf4d50d87u + (a1 ^ (b1 & (d1 ^ a1))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 8) + 0x455a14edu + (d0 ^ (a0 & (c0 ^ d0))), 20);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 8) + 0x455a14edu + (d1 ^ (a1 & (c1 ^ d1))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 13) + 0xa9e3e905u + (c0 ^ (d0 & (b0 ^ c0))), 5);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 13) + 0xa9e3e905u + (c1 ^ (d1 & (b1 ^ c1))), 5);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 2) + 0xfcefa3f8u + (b0 ^ (c0 & (a0 ^ b0))), 9);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 2) + 0xfcefa3f8u + (b1 ^ (c1 & (a1 ^ b1))), 9);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 7) + 0x676f02d9u + (a0 ^ (b0 & (d0 ^ a0))), 14);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 7) + 0x676f02d9u + (a1 ^ (b1 & (d1 ^ a1))), 14);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 12) + 0x8d2a4c8au + (d0 ^ (a0 & (c0 ^ d0))), 20);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 12) + 0x8d2a4c8au + (d1 ^ (a1 & (c1 ^ d1))), 20);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 5) + 0xfffa3942u + (b0 ^ c0 ^ d0), 4);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 5) + 0xfffa3942u + (b1 ^ c1 ^ d1), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 8) + 0x8771f681u + (a0 ^ b0 ^ c0), 11);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 8) + 0x8771f681u + (a1 ^ b1 ^ c1), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 11) + 0x6d9d6122u + (d0 ^ a0 ^ b0), 16);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 11) + 0x6d9d6122u + (d1 ^ a1 ^ b1), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 14) + 0xfde5380cu + (c0 ^ d0 ^ a0), 23);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 14) + 0xfde5380cu + (c1 ^ d1 ^ a1), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 1) + 0xa4beea44u + (b0 ^ c0 ^ d0), 4);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 1) + 0xa4beea44u + (b1 ^ c1 ^ d1), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 4) + 0x4bdecfa9u + (a0 ^ b0 ^ c0), 11);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 4) + 0x4bdecfa9u + (a1 ^ b1 ^ c1), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 7) + 0xf6bb4b60u + (d0 ^ a0 ^ b0), 16);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 7) + 0xf6bb4b60u + (d1 ^ a1 ^ b1), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 10) + 0xbebfbc70u + (c0 ^ d0 ^ a0), 23);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 10) + 0xbebfbc70u + (c1 ^ d1 ^ a1), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 13) + 0x289b7ec6u + (b0 ^ c0 ^ d0), 4);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 13) + 0x289b7ec6u + (b1 ^ c1 ^ d1), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 0) + 0xeaa127fau + (a0 ^ b0 ^ c0), 11);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 0) + 0xeaa127fau + (a1 ^ b1 ^ c1), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 3) + 0xd4ef3085u + (d0 ^ a0 ^ b0), 16);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 3) + 0xd4ef3085u + (d1 ^ a1 ^ b1), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 6) + 0x04881d05u + (c0 ^ d0 ^ a0), 23);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 6) + 0x04881d05u + (c1 ^ d1 ^ a1), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 9) + 0xd9d4d039u + (b0 ^ c0 ^ d0), 4);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 9) + 0xd9d4d039u + (b1 ^ c1 ^ d1), 4);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 12) + 0xe6db99e5u + (a0 ^ b0 ^ c0), 11);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 12) + 0xe6db99e5u + (a1 ^ b1 ^ c1), 11);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 15) + 0x1fa27cf8u + (d0 ^ a0 ^ b0), 16);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 15) + 0x1fa27cf8u + (d1 ^ a1 ^ b1), 16);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 2) + 0xc4ac5665u + (c0 ^ d0 ^ a0), 23);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 2) + 0xc4ac5665u + (c1 ^ d1 ^ a1), 23);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 0) + 0xf4292244u + (c0 ^ (b0 | ~d0)), 6);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 0) + 0xf4292244u + (c1 ^ (b1 | ~d1)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 7) + 0x432aff97u + (b0 ^ (a0 | ~c0)), 10);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 7) + 0x432aff97u + (b1 ^ (a1 | ~c1)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 14) + 0xab9423a7u + (a0 ^ (d0 | ~b0)), 15);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 14) + 0xab9423a7u + (a1 ^ (d1 | ~b1)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 5) + 0xfc93a039u + (d0 ^ (c0 | ~a0)), 21);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 5) + 0xfc93a039u + (d1 ^ (c1 | ~a1)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 12) + 0x655b59c3u + (c0 ^ (b0 | ~d0)), 6);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 12) + 0x655b59c3u + (c1 ^ (b1 | ~d1)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 3) + 0x8f0ccc92u + (b0 ^ (a0 | ~c0)), 10);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 3) + 0x8f0ccc92u + (b1 ^ (a1 | ~c1)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 10) + 0xffeff47du + (a0 ^ (d0 | ~b0)), 15);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 10) + 0xffeff47du + (a1 ^ (d1 | ~b1)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 1) + 0x85845dd1u + (d0 ^ (c0 | ~a0)), 21);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 1) + 0x85845dd1u + (d1 ^ (c1 | ~a1)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 8) + 0x6fa87e4fu + (c0 ^ (b0 | ~d0)), 6);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 8) + 0x6fa87e4fu + (c1 ^ (b1 | ~d1)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 15) + 0xfe2ce6e0u + (b0 ^ (a0 | ~c0)), 10);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 15) + 0xfe2ce6e0u + (b1 ^ (a1 | ~c1)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 6) + 0xa3014314u + (a0 ^ (d0 | ~b0)), 15);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 6) + 0xa3014314u + (a1 ^ (d1 | ~b1)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 13) + 0x4e0811a1u + (d0 ^ (c0 | ~a0)), 21);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 13) + 0x4e0811a1u + (d1 ^ (c1 | ~a1)), 21);
            a0 = b0 + BitOperations.RotateLeft(a0 + Read(ref p0, 4) + 0xf7537e82u + (c0 ^ (b0 | ~d0)), 6);
            a1 = b1 + BitOperations.RotateLeft(a1 + Read(ref p1, 4) + 0xf7537e82u + (c1 ^ (b1 | ~d1)), 6);
            d0 = a0 + BitOperations.RotateLeft(d0 + Read(ref p0, 11) + 0xbd3af235u + (b0 ^ (a0 | ~c0)), 10);
            d1 = a1 + BitOperations.RotateLeft(d1 + Read(ref p1, 11) + 0xbd3af235u + (b1 ^ (a1 | ~c1)), 10);
            c0 = d0 + BitOperations.RotateLeft(c0 + Read(ref p0, 2) + 0x2ad7d2bbu + (a0 ^ (d0 | ~b0)), 15);
            c1 = d1 + BitOperations.RotateLeft(c1 + Read(ref p1, 2) + 0x2ad7d2bbu + (a1 ^ (d1 | ~b1)), 15);
            b0 = c0 + BitOperations.RotateLeft(b0 + Read(ref p0, 9) + 0xeb86d391u + (d0 ^ (c0 | ~a0)), 21);
            b1 = c1 + BitOperations.RotateLeft(b1 + Read(ref p1, 9) + 0xeb86d391u + (d1 ^ (c1 | ~a1)), 21);
            (a0, b0, c0, d0) = (a0 + aa0, b0 + bb0, c0 + cc0, d0 + dd0);
            (a1, b1, c1, d1) = (a1 + aa1, b1 + bb1, c1 + cc1, d1 + dd1);
            p0 = ref Unsafe.Add(ref p0, BlockSize);
            p1 = ref Unsafe.Add(ref p1, BlockSize);
        }

        (s0.A, s0.B, s0.C, s0.D) = (a0, b0, c0, d0);
        (s1.A, s1.B, s1.C, s1.D) = (a1, b1, c1, d1);
        s0.Length += data0.Length;
        s1.Length += data1.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read(ref byte block, int word)
    {
        var value = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref block, word * 4));
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }

    /// <summary>
    /// Hashes <paramref name="blocks"/> 64-byte blocks of each of <paramref name="count"/> (1 to <see cref="Lanes"/>)
    /// streams into its state: stream i's from <paramref name="inputs"/>[i] at <paramref name="offsets"/>[i], which
    /// then moves past them. Every input holds at least that many blocks from its offset.
    /// </summary>
    public static void CompressLanes(Span<Md5State> states, ReadOnlySpan<ReadOnlyMemory<byte>> inputs, Span<int> offsets, int count, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Lanes);
        var length = blocks * BlockSize;
        for (var i = 0; i < count; i++)
        {
            if (inputs[i].Length - offsets[i] < length)
            {
                throw new ArgumentException($"lane {i} holds fewer than {blocks} blocks", nameof(inputs));
            }
        }

        // One or two streams go faster in scalar code (two interleaved: 1.7 times OpenSSL's bytes a second here, a
        // vector of two lanes 1.1), three or more in the vector's lanes (four: 2.2 times, eight: 4.4).
        if (count == 2)
        {
            CompressTwo(ref states[0], ref states[1], inputs[0].Span.Slice(offsets[0], length), inputs[1].Span.Slice(offsets[1], length));
            offsets[0] += length;
            offsets[1] += length;
            return;
        }

        if (count == 1 || !LanesAccelerated)
        {
            for (var i = 0; i < count; i++)
            {
                CompressOne(ref states[i], inputs[i].Span.Slice(offsets[i], length));
                offsets[i] += length;
            }

            return;
        }

        // Lanes past count read a block of zeros over and over (stride 0); their results are dropped.
        ReadOnlySpan<byte> zero = stackalloc byte[BlockSize];
        ref var p0 = ref Lane(inputs, offsets, count, 0, zero, out var s0);
        ref var p1 = ref Lane(inputs, offsets, count, 1, zero, out var s1);
        ref var p2 = ref Lane(inputs, offsets, count, 2, zero, out var s2);
        ref var p3 = ref Lane(inputs, offsets, count, 3, zero, out var s3);
        ref var p4 = ref Lane(inputs, offsets, count, 4, zero, out var s4);
        ref var p5 = ref Lane(inputs, offsets, count, 5, zero, out var s5);
        ref var p6 = ref Lane(inputs, offsets, count, 6, zero, out var s6);
        ref var p7 = ref Lane(inputs, offsets, count, 7, zero, out var s7);
        Span<uint> a = stackalloc uint[Lanes], b = stackalloc uint[Lanes], c = stackalloc uint[Lanes], d = stackalloc uint[Lanes];
        for (var i = 0; i < count; i++)
        {
            (a[i], b[i], c[i], d[i]) = (states[i].A, states[i].B, states[i].C, states[i].D);
        }

        var va = Vector256.Create<uint>(a);
        var vb = Vector256.Create<uint>(b);
        var vc = Vector256.Create<uint>(c);
        var vd = Vector256.Create<uint>(d);
        var w = new Words();
        for (nuint block = 0; block < (nuint)blocks; block++)
        {
            for (nuint half = 0; half < 2; half++)
            {
                var at = half * 32;
                Transpose(
                    Row(ref p0, (block * s0) + at), Row(ref p1, (block * s1) + at), Row(ref p2, (block * s2) + at), Row(ref p3, (block * s3) + at),
                    Row(ref p4, (block * s4) + at), Row(ref p5, (block * s5) + at), Row(ref p6, (block * s6) + at), Row(ref p7, (block * s7) + at),
                    ref w[(int)(half * 8)]);
            }

            Rounds(ref va, ref vb, ref vc, ref vd, ref w);
        }

        va.CopyTo(a);
        vb.CopyTo(b);
        vc.CopyTo(c);
        vd.CopyTo(d);
        for (var i = 0; i < count; i++)
        {
            (states[i].A, states[i].B, states[i].C, states[i].D) = (a[i], b[i], c[i], d[i]);
            states[i].Length += length;
            offsets[i] += length;
        }
    }

    private static ref byte Lane(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, Span<int> offsets, int count, int lane, ReadOnlySpan<byte> zero, out nuint stride)
    {
        if (lane < count)
        {
            stride = BlockSize;
            return ref Unsafe.Add(ref MemoryMarshal.GetReference(inputs[lane].Span), offsets[lane]);
        }

        stride = 0;
        return ref MemoryMarshal.GetReference(zero);
    }

    private static Vector256<uint> Row(ref byte lane, nuint offset) => Vector256.LoadUnsafe(ref Unsafe.As<byte, uint>(ref Unsafe.Add(ref lane, offset)));

    /// <summary>Eight rows of eight words (one lane's half block each) into eight vectors of one word across the lanes.</summary>
    private static void Transpose(
        Vector256<uint> r0, Vector256<uint> r1, Vector256<uint> r2, Vector256<uint> r3,
        Vector256<uint> r4, Vector256<uint> r5, Vector256<uint> r6, Vector256<uint> r7, ref Vector256<uint> w)
    {
        var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
        var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
        var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
        var t4 = Avx2.UnpackLow(r4, r5).AsUInt64();
        var t5 = Avx2.UnpackHigh(r4, r5).AsUInt64();
        var t6 = Avx2.UnpackLow(r6, r7).AsUInt64();
        var t7 = Avx2.UnpackHigh(r6, r7).AsUInt64();
        var u0 = Avx2.UnpackLow(t0, t2).AsUInt32();
        var u1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
        var u2 = Avx2.UnpackLow(t1, t3).AsUInt32();
        var u3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
        var u4 = Avx2.UnpackLow(t4, t6).AsUInt32();
        var u5 = Avx2.UnpackHigh(t4, t6).AsUInt32();
        var u6 = Avx2.UnpackLow(t5, t7).AsUInt32();
        var u7 = Avx2.UnpackHigh(t5, t7).AsUInt32();
        Unsafe.Add(ref w, 0) = Avx2.Permute2x128(u0, u4, 0x20);
        Unsafe.Add(ref w, 1) = Avx2.Permute2x128(u1, u5, 0x20);
        Unsafe.Add(ref w, 2) = Avx2.Permute2x128(u2, u6, 0x20);
        Unsafe.Add(ref w, 3) = Avx2.Permute2x128(u3, u7, 0x20);
        Unsafe.Add(ref w, 4) = Avx2.Permute2x128(u0, u4, 0x31);
        Unsafe.Add(ref w, 5) = Avx2.Permute2x128(u1, u5, 0x31);
        Unsafe.Add(ref w, 6) = Avx2.Permute2x128(u2, u6, 0x31);
        Unsafe.Add(ref w, 7) = Avx2.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>One block's 64 steps in every lane, unrolled so each rotation and round function is an immediate.</summary>
    private static void Rounds(ref Vector256<uint> a0, ref Vector256<uint> b0, ref Vector256<uint> c0, ref Vector256<uint> d0, ref Words w)
    {
        var (a, b, c, d) = (a0, b0, c0, d0);
        a = Step(a, b, c, d, w[0], 0xd76aa478, 7, 0xCA);
        d = Step(d, a, b, c, w[1], 0xe8c7b756, 12, 0xCA);
        c = Step(c, d, a, b, w[2], 0x242070db, 17, 0xCA);
        b = Step(b, c, d, a, w[3], 0xc1bdceee, 22, 0xCA);
        a = Step(a, b, c, d, w[4], 0xf57c0faf, 7, 0xCA);
        d = Step(d, a, b, c, w[5], 0x4787c62a, 12, 0xCA);
        c = Step(c, d, a, b, w[6], 0xa8304613, 17, 0xCA);
        b = Step(b, c, d, a, w[7], 0xfd469501, 22, 0xCA);
        a = Step(a, b, c, d, w[8], 0x698098d8, 7, 0xCA);
        d = Step(d, a, b, c, w[9], 0x8b44f7af, 12, 0xCA);
        c = Step(c, d, a, b, w[10], 0xffff5bb1, 17, 0xCA);
        b = Step(b, c, d, a, w[11], 0x895cd7be, 22, 0xCA);
        a = Step(a, b, c, d, w[12], 0x6b901122, 7, 0xCA);
        d = Step(d, a, b, c, w[13], 0xfd987193, 12, 0xCA);
        c = Step(c, d, a, b, w[14], 0xa679438e, 17, 0xCA);
        b = Step(b, c, d, a, w[15], 0x49b40821, 22, 0xCA);
        a = Step(a, b, c, d, w[1], 0xf61e2562, 5, 0xE4);
        d = Step(d, a, b, c, w[6], 0xc040b340, 9, 0xE4);
        c = Step(c, d, a, b, w[11], 0x265e5a51, 14, 0xE4);
        b = Step(b, c, d, a, w[0], 0xe9b6c7aa, 20, 0xE4);
        a = Step(a, b, c, d, w[5], 0xd62f105d, 5, 0xE4);
        d = Step(d, a, b, c, w[10], 0x02441453, 9, 0xE4);
        c = Step(c, d, a, b, w[15], 0xd8a1e681, 14, 0xE4);
        b = Step(b, c, d, a, w[4], 0xe7d3fbc8, 20, 0xE4);
        a = Step(a, b, c, d, w[9], 0x21e1cde6, 5, 0xE4);
        d = Step(d, a, b, c, w[14], 0xc33707d6, 9, 0xE4);
        c = Step(c, d, a, b, w[3], 0xf4d50d87, 14, 0xE4);
        b = Step(b, c, d, a, w[8], 0x455a14ed, 20, 0xE4);
        a = Step(a, b, c, d, w[13], 0xa9e3e905, 5, 0xE4);
        d = Step(d, a, b, c, w[2], 0xfcefa3f8, 9, 0xE4);
        c = Step(c, d, a, b, w[7], 0x676f02d9, 14, 0xE4);
        b = Step(b, c, d, a, w[12], 0x8d2a4c8a, 20, 0xE4);
        a = Step(a, b, c, d, w[5], 0xfffa3942, 4, 0x96);
        d = Step(d, a, b, c, w[8], 0x8771f681, 11, 0x96);
        c = Step(c, d, a, b, w[11], 0x6d9d6122, 16, 0x96);
        b = Step(b, c, d, a, w[14], 0xfde5380c, 23, 0x96);
        a = Step(a, b, c, d, w[1], 0xa4beea44, 4, 0x96);
        d = Step(d, a, b, c, w[4], 0x4bdecfa9, 11, 0x96);
        c = Step(c, d, a, b, w[7], 0xf6bb4b60, 16, 0x96);
        b = Step(b, c, d, a, w[10], 0xbebfbc70, 23, 0x96);
        a = Step(a, b, c, d, w[13], 0x289b7ec6, 4, 0x96);
        d = Step(d, a, b, c, w[0], 0xeaa127fa, 11, 0x96);
        c = Step(c, d, a, b, w[3], 0xd4ef3085, 16, 0x96);
        b = Step(b, c, d, a, w[6], 0x04881d05, 23, 0x96);
        a = Step(a, b, c, d, w[9], 0xd9d4d039, 4, 0x96);
        d = Step(d, a, b, c, w[12], 0xe6db99e5, 11, 0x96);
        c = Step(c, d, a, b, w[15], 0x1fa27cf8, 16, 0x96);
        b = Step(b, c, d, a, w[2], 0xc4ac5665, 23, 0x96);
        a = Step(a, b, c, d, w[0], 0xf4292244, 6, 0x39);
        d = Step(d, a, b, c, w[7], 0x432aff97, 10, 0x39);
        c = Step(c, d, a, b, w[14], 0xab9423a7, 15, 0x39);
        b = Step(b, c, d, a, w[5], 0xfc93a039, 21, 0x39);
        a = Step(a, b, c, d, w[12], 0x655b59c3, 6, 0x39);
        d = Step(d, a, b, c, w[3], 0x8f0ccc92, 10, 0x39);
        c = Step(c, d, a, b, w[10], 0xffeff47d, 15, 0x39);
        b = Step(b, c, d, a, w[1], 0x85845dd1, 21, 0x39);
        a = Step(a, b, c, d, w[8], 0x6fa87e4f, 6, 0x39);
        d = Step(d, a, b, c, w[15], 0xfe2ce6e0, 10, 0x39);
        c = Step(c, d, a, b, w[6], 0xa3014314, 15, 0x39);
        b = Step(b, c, d, a, w[13], 0x4e0811a1, 21, 0x39);
        a = Step(a, b, c, d, w[4], 0xf7537e82, 6, 0x39);
        d = Step(d, a, b, c, w[11], 0xbd3af235, 10, 0x39);
        c = Step(c, d, a, b, w[2], 0x2ad7d2bb, 15, 0x39);
        b = Step(b, c, d, a, w[9], 0xeb86d391, 21, 0x39);
        (a0, b0, c0, d0) = (a0 + a, b0 + b, c0 + c, d0 + d);
    }

    /// <summary>
    /// a + F(b, c, d) + word + t, rotated, plus b: one MD5 step (F the round's function, <paramref name="table"/>). The sum
    /// is taken with F last: only F waits for the previous step's b, so a step's chain is four instructions, not six.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Step(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, Vector256<uint> word, uint t, [ConstantExpected] byte shift, [ConstantExpected] byte table) =>
        b + Rotate(a + word + Vector256.Create(t) + Select(b, c, d, table), shift); // a + word + t off the chain through b

    /// <summary>MD5's round functions F, G, H, I as their truth tables (bit (b&lt;&lt;2)|(c&lt;&lt;1)|d of the control).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Select(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d, [ConstantExpected] byte table)
    {
        if (Avx512F.VL.IsSupported)
        {
            return Avx512F.VL.TernaryLogic(b, c, d, table);
        }

        return table switch
        {
            0xCA => (b & c) | Vector256.AndNot(d, b),
            0xE4 => (d & b) | Vector256.AndNot(c, d),
            0x96 => b ^ c ^ d,
            _ => c ^ (b | ~d),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> value, [ConstantExpected] byte count) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateLeft(value, count) : (value << count) | (value >>> (32 - count));

    [InlineArray(16)]
    private struct Words
    {
        private Vector256<uint> _element;
    }
}

/// <summary>An MD5 in progress: the chaining values and the bytes compressed so far.</summary>
internal struct Md5State
{
    public uint A;
    public uint B;
    public uint C;
    public uint D;
    public long Length;

    public static Md5State Initial => new() { A = 0x67452301, B = 0xefcdab89, C = 0x98badcfe, D = 0x10325476 };

    /// <summary>The digest of what was compressed followed by <paramref name="tail"/> (under 64 bytes): the padding and length appended.</summary>
    public readonly byte[] Finish(ReadOnlySpan<byte> tail)
    {
        if (tail.Length >= Md5Block.BlockSize)
        {
            throw new ArgumentException("the tail is what is left after the whole blocks", nameof(tail));
        }

        var state = this;
        Span<byte> last = stackalloc byte[Md5Block.BlockSize * 2];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var padded = tail.Length < 56 ? Md5Block.BlockSize : Md5Block.BlockSize * 2;
        BinaryPrimitives.WriteUInt64LittleEndian(last.Slice(padded - 8, 8), (ulong)(Length + tail.Length) * 8);
        Md5Block.CompressOne(ref state, last[..padded]);
        var digest = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(0, 4), state.A);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(4, 4), state.B);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(8, 4), state.C);
        BinaryPrimitives.WriteUInt32LittleEndian(digest.AsSpan(12, 4), state.D);
        return digest;
    }
}
