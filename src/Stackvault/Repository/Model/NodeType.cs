namespace Stackvault.Repository.Model;

/// <summary>The node types a tree holds, stored as these lower-case strings.</summary>
public static class NodeType
{
    public const string File = "file";
    public const string Directory = "dir";
    public const string Symlink = "symlink";
    public const string Fifo = "fifo";
    public const string CharDevice = "chardev";
    public const string BlockDevice = "blockdev";
    public const string Socket = "socket";
}
