namespace Stackvault.Platform;

/// <summary>
/// What lstat(2) reports about one path. <see cref="Mode"/> includes the S_IFMT type bits;
/// <see cref="MTimeNs"/> is nanoseconds since the Unix epoch.
/// </summary>
public readonly record struct FileStatus(
    long Device,
    long Inode,
    long Links,
    uint Mode,
    uint Uid,
    uint Gid,
    long Size,
    long Blocks,
    long MTimeNs,
    long RDev)
{
    /// <summary>The S_IFMT mask of <see cref="Mode"/>.</summary>
    public const uint TypeMask = 0xF000;

    public const uint TypeFifo = 0x1000;
    public const uint TypeCharDevice = 0x2000;
    public const uint TypeDirectory = 0x4000;
    public const uint TypeBlockDevice = 0x6000;
    public const uint TypeRegular = 0x8000;
    public const uint TypeSymlink = 0xA000;
    public const uint TypeSocket = 0xC000;

    public bool IsRegularFile => (Mode & TypeMask) == TypeRegular;

    public bool IsDirectory => (Mode & TypeMask) == TypeDirectory;

    public bool IsSymlink => (Mode & TypeMask) == TypeSymlink;

    public bool IsFifo => (Mode & TypeMask) == TypeFifo;

    /// <summary>The permission bits (rwx for user, group, others plus setuid, setgid, sticky).</summary>
    public uint Permissions => Mode & 0xFFF;
}
