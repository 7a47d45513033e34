using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Stackvault.Platform;

namespace Stackvault.Tests.Platform;

public sealed class StatLayoutTests
{
    [Fact]
    public void Decode_Arm64GenericLayout_ReadsEveryField()
    {
        var b = new byte[StatLayout.BufferSize];
        BinaryPrimitives.WriteInt64LittleEndian(b, 11);            // st_dev
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), 22);  // st_ino
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 0x81A4); // st_mode
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), 3); // st_nlink
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 1000); // st_uid
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), 1001); // st_gid
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(32), 77); // st_rdev
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(48), 4096); // st_size
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(64), 8);  // st_blocks
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(88), 5);  // st_mtim.tv_sec
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(96), 6);  // st_mtim.tv_nsec

        var st = StatLayout.Decode(b, Architecture.Arm64);

        Assert.Equal(new FileStatus(11, 22, 3, 0x81A4, 1000, 1001, 4096, 8, 5_000_000_006, 77), st);
    }

    [Fact]
    public void Decode_X64Layout_ReadsEveryField()
    {
        var b = new byte[StatLayout.BufferSize];
        BinaryPrimitives.WriteInt64LittleEndian(b, 11);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(8), 22);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(16), 3);  // st_nlink (64-bit)
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(24), 0x41ED); // st_mode
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), 1000);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(32), 1001);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(40), 77); // st_rdev
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(48), 4096);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(64), 8);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(88), 5);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(96), 6);

        var st = StatLayout.Decode(b, Architecture.X64);

        Assert.Equal(new FileStatus(11, 22, 3, 0x41ED, 1000, 1001, 4096, 8, 5_000_000_006, 77), st);
        Assert.True(st.IsDirectory);
    }

    [Fact]
    public void Decode_UnknownArchitecture_Throws()
    {
        Assert.Throws<PlatformNotSupportedException>(() => StatLayout.Decode(new byte[StatLayout.BufferSize], Architecture.X86));
    }
}
