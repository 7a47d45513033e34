using Stackvault.Platform;
using Stackvault.Repository.Model;

namespace Stackvault.Backup;

/// <summary>Builds tree nodes from lstat results.</summary>
internal static class NodeFactory
{
    public const uint TypeMask = 0xF000;
    public const uint TypeDirectory = 0x4000;
    public const uint TypeRegular = 0x8000;
    public const uint TypeSymlink = 0xA000;
    public const uint TypeFifo = 0x1000;
    public const uint TypeCharDevice = 0x2000;
    public const uint TypeBlockDevice = 0x6000;
    public const uint TypeSocket = 0xC000;
    public const uint PermissionMask = 0xFFF;

    public static string TypeOf(in FileStatus status) => (status.Mode & TypeMask) switch
    {
        TypeDirectory => NodeType.Directory,
        TypeRegular => NodeType.File,
        TypeSymlink => NodeType.Symlink,
        TypeFifo => NodeType.Fifo,
        TypeCharDevice => NodeType.CharDevice,
        TypeBlockDevice => NodeType.BlockDevice,
        _ => NodeType.Socket,
    };

    /// <summary>
    /// A directory that exists only in the snapshot (a component's place): fixed metadata (0755, root, mtime 0) so
    /// that an unchanged content gives the same tree id run after run.
    /// </summary>
    public static Node Synthetic(string name) => new() { Name = name, Type = NodeType.Directory, Mode = 0x1ED };

    public static Node Create(string name, in FileStatus status)
    {
        var type = TypeOf(status);
        return new Node
        {
            Name = name,
            Type = type,
            Mode = status.Mode & PermissionMask,
            Uid = status.Uid,
            Gid = status.Gid,
            MtimeNs = status.MTimeNs,
            Size = type == NodeType.File ? status.Size : 0,
            Inode = status.Inode,
            Device = status.Device,
            Links = type == NodeType.Directory ? 0 : status.Links,
            Rdev = type is NodeType.CharDevice or NodeType.BlockDevice ? status.RDev : 0,
        };
    }
}
