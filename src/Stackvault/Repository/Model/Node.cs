namespace Stackvault.Repository.Model;

/// <summary>One entry of a directory listing (a tree). Fields that do not apply are omitted from the JSON.</summary>
public sealed class Node
{
    public string Name { get; set; } = string.Empty;

    public string Type { get; set; } = NodeType.File;

    /// <summary>Permission bits including setuid/setgid/sticky (07777), without the file-type bits.</summary>
    public uint Mode { get; set; }

    public uint Uid { get; set; }

    public uint Gid { get; set; }

    /// <summary>Modification time, nanoseconds since 1970-01-01T00:00:00Z.</summary>
    public long MtimeNs { get; set; }

    /// <summary>Content length of a file, in bytes.</summary>
    public long Size { get; set; }

    public long Inode { get; set; }

    public long Device { get; set; }

    /// <summary>The number of hard links when the node was saved; above 1, restore links nodes with the same device and inode.</summary>
    public long Links { get; set; }

    /// <summary>For devices: the device number.</summary>
    public long Rdev { get; set; }

    /// <summary>For files: the data blob ids, in order.</summary>
    public List<ObjectId>? Content { get; set; }

    /// <summary>For directories: the tree blob id of the listing.</summary>
    public ObjectId? Subtree { get; set; }

    /// <summary>For symlinks: the link target, as stored (never followed on backup or restore).</summary>
    public string? Target { get; set; }

    /// <summary>For files read from an object store: the object's ETag (without quotes), for change detection.</summary>
    public string? Etag { get; set; }
}
