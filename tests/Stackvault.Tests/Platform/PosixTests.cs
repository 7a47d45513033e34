using System.Diagnostics;
using Stackvault.Platform;

namespace Stackvault.Tests.Platform;

public sealed class PosixTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sv-posix-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LStat_RegularFile_ReportsTypeSizeAndOwner()
    {
        var path = Path.Combine(_dir, "f");
        File.WriteAllBytes(path, new byte[1234]);
        Posix.Chmod(path, 0x1A0);

        var st = Posix.LStat(path);

        Assert.True(st.IsRegularFile);
        Assert.Equal(1234, st.Size);
        Assert.Equal(0x1A0u, st.Permissions);
        Assert.Equal(Posix.GetUid(), st.Uid);
        Assert.Equal(1, st.Links);
        Assert.True(st.Inode > 0);
        var mtime = File.GetLastWriteTimeUtc(path);
        Assert.InRange(st.MTimeNs / 100 - (mtime - DateTime.UnixEpoch).Ticks, -1, 1);
    }

    [Fact]
    public void LStat_Symlink_IsNotFollowed()
    {
        var target = Path.Combine(_dir, "target");
        File.WriteAllBytes(target, new byte[10]);
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, "target");

        var st = Posix.LStat(link);

        Assert.True(st.IsSymlink);
        Assert.Equal("target".Length, st.Size);
        Assert.NotEqual(Posix.LStat(target).Inode, st.Inode);
    }

    [Fact]
    public void LStat_Directory_IsDirectory()
    {
        var st = Posix.LStat(_dir);
        Assert.True(st.IsDirectory);
        Assert.Equal(Posix.LStat(Path.GetDirectoryName(_dir)!).Device, st.Device);
    }

    [Fact]
    public void LStat_Missing_ThrowsWithPathAndStrerror()
    {
        var path = Path.Combine(_dir, "missing");
        var e = Assert.Throws<PosixException>(() => Posix.LStat(path));
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("No such file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_HardLink_CountsLinksAndSharesInode()
    {
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        File.WriteAllText(a, "x");

        Posix.Link(a, b);

        Assert.Equal(2, Posix.LStat(a).Links);
        Assert.Equal(Posix.LStat(a).Inode, Posix.LStat(b).Inode);
        var e = Assert.Throws<PosixException>(() => Posix.Link(a, b));
        Assert.Equal(Errno.EEXIST, e.Errno);
    }

    [Theory]
    [InlineData(1_700_000_000_123_456_789L)]
    [InlineData(0L)]
    [InlineData(-1_500_000_000L)]
    public void SetTimes_Nanoseconds_RoundTrip(long mtimeNs)
    {
        var path = Path.Combine(_dir, "t");
        File.WriteAllText(path, "x");

        Posix.SetTimes(path, mtimeNs);

        Assert.Equal(mtimeNs, Posix.LStat(path).MTimeNs);
    }

    [Fact]
    public void SetTimes_Symlink_ChangesTheLinkNotTheTarget()
    {
        var target = Path.Combine(_dir, "target");
        File.WriteAllText(target, "x");
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);
        var before = Posix.LStat(target).MTimeNs;

        Posix.SetTimes(link, 1_000_000_000_000_000_001L, followSymlinks: false);

        Assert.Equal(1_000_000_000_000_000_001L, Posix.LStat(link).MTimeNs);
        Assert.Equal(before, Posix.LStat(target).MTimeNs);
    }

    [Fact]
    public void MkFifo_CreatesAFifo()
    {
        var path = Path.Combine(_dir, "fifo");
        Posix.MkFifo(path, 0x180);
        Assert.True(Posix.LStat(path).IsFifo);
    }

    [Fact]
    public void LChown_ToOwnIds_Succeeds()
    {
        var path = Path.Combine(_dir, "own");
        File.WriteAllText(path, "x");
        var st = Posix.LStat(path);
        Posix.LChown(path, st.Uid, st.Gid);
        Assert.Equal(st.Uid, Posix.LStat(path).Uid);
    }

    [Fact]
    public void FsyncDirectory_ExistingAndMissing_SucceedsOrThrows()
    {
        Posix.FsyncDirectory(_dir);
        Assert.Throws<PosixException>(() => Posix.FsyncDirectory(Path.Combine(_dir, "missing")));
    }

    [Fact]
    public void IsProcessAlive_CurrentAndReapedChild_TrueThenFalse()
    {
        Assert.True(Posix.IsProcessAlive(Environment.ProcessId));
        using var child = Process.Start("true")!;
        child.WaitForExit();
        var pid = child.Id;
        child.Dispose();
        Assert.False(Posix.IsProcessAlive(pid));
        Assert.Null(Posix.ProcessStartTicks(pid));
    }

    [Fact]
    public void ProcessStartTicks_CurrentProcess_IsStable()
    {
        var first = Posix.ProcessStartTicks(Environment.ProcessId);
        Assert.NotNull(first);
        Assert.True(first > 0);
        Assert.Equal(first, Posix.ProcessStartTicks(Environment.ProcessId));
        Assert.Equal(first, Posix.CurrentProcessStartTicks);
    }

    [Fact]
    public void ParseStartTicks_CommandWithParenthesesAndSpaces_UsesLastParenthesis()
    {
        var stat = "42 (a) b (c) S 1 42 42 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        Assert.Equal(987654, Posix.ParseStartTicks(stat));
        Assert.Null(Posix.ParseStartTicks("garbage"));
    }
}
