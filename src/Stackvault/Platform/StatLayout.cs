using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Stackvault.Platform;

/// <summary>
/// Decodes glibc's <c>struct stat</c>, whose layout differs between x86_64 (144 bytes, nlink before mode) and
/// the generic layout aarch64 uses (128 bytes, 32-bit nlink after mode).
/// </summary>
internal static class StatLayout
{
    /// <summary>Larger than either layout, so a wrong guess can never write past the buffer.</summary>
    public const int BufferSize = 256;

    public static FileStatus Decode(ReadOnlySpan<byte> b, Architecture architecture) => architecture switch
    {
        Architecture.X64 => new FileStatus(
            Device: I64(b, 0),
            Inode: I64(b, 8),
            Links: I64(b, 16),
            Mode: U32(b, 24),
            Uid: U32(b, 28),
            Gid: U32(b, 32),
            Size: I64(b, 48),
            Blocks: I64(b, 64),
            MTimeNs: Ns(b, 88),
            RDev: I64(b, 40)),
        Architecture.Arm64 => new FileStatus(
            Device: I64(b, 0),
            Inode: I64(b, 8),
            Links: U32(b, 20),
            Mode: U32(b, 16),
            Uid: U32(b, 24),
            Gid: U32(b, 28),
            Size: I64(b, 48),
            Blocks: I64(b, 64),
            MTimeNs: Ns(b, 88),
            RDev: I64(b, 32)),
        _ => throw new PlatformNotSupportedException($"struct stat layout for {architecture} is not known"),
    };

    private static long I64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadInt64LittleEndian(b[offset..]);

    private static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(b[offset..]);

    private static long Ns(ReadOnlySpan<byte> b, int offset) => (I64(b, offset) * 1_000_000_000L) + I64(b, offset + 8);
}
