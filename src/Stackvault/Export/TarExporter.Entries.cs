using System.Formats.Tar;
using Stackvault.Errors;
using Stackvault.Repository;
using Stackvault.Repository.Model;

namespace Stackvault.Export;

public sealed partial class TarExporter
{
    private async ValueTask WriteEntryAsync(TarWriter writer, string path, Node node, CancellationToken cancellationToken)
    {
        var name = path[1..];
        PaxTarEntry entry;
        switch (node.Type)
        {
            case NodeType.Directory:
                entry = new PaxTarEntry(TarEntryType.Directory, name + "/");
                _directories++;
                break;
            case NodeType.File when node.Links > 1 && node.Inode != 0 && _firstOfInode.TryGetValue((node.Device, node.Inode), out var first):
                entry = new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = first };
                _hardLinks++;
                options.Progress?.AddFile(node.Size); // counted by the snapshot's totals like any file
                break;
            case NodeType.File:
                if (node.Links > 1 && node.Inode != 0)
                {
                    _firstOfInode.Add((node.Device, node.Inode), name);
                }

                entry = new PaxTarEntry(TarEntryType.RegularFile, name);
                _files++;
                break;
            case NodeType.Symlink when !string.IsNullOrEmpty(node.Target):
                if (node.Target.Contains('\0', StringComparison.Ordinal))
                {
                    throw new StackvaultException($"{path}: the symlink target '{Escape(node.Target)}' holds a NUL byte, which a tar header would cut: export refused (a crafted or damaged snapshot)");
                }

                CheckUnicode(node.Target, path, "symlink target");
                entry = new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = node.Target };
                _others++;
                break;
            case NodeType.Fifo or NodeType.CharDevice or NodeType.BlockDevice when !options.SpecialFiles:
                _warnings.Add($"{path}: a {Kind(node.Type)} is exported only with --special-files (extracted as root, a crafted one becomes a live device or FIFO); left out");
                return;
            case NodeType.Fifo:
                entry = new PaxTarEntry(TarEntryType.Fifo, name);
                _others++;
                break;
            case NodeType.CharDevice or NodeType.BlockDevice:
                entry = new PaxTarEntry(node.Type == NodeType.CharDevice ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, name)
                {
                    DeviceMajor = (int)(((node.Rdev >> 8) & 0xFFF) | ((node.Rdev >> 32) & ~0xFFFL)),
                    DeviceMinor = (int)((node.Rdev & 0xFF) | ((node.Rdev >> 12) & ~0xFFL)),
                };
                _others++;
                break;
            default:
                _warnings.Add($"{path}: a {node.Type} node{(node.Type == NodeType.Symlink ? " without a target" : string.Empty)} cannot be stored in a tar archive; left out");
                return;
        }

        if (node.Uid > int.MaxValue || node.Gid > int.MaxValue)
        {
            throw new StackvaultException($"{path}: owner {node.Uid}:{node.Gid} is beyond what a tar header holds (2^31-1): export refused");
        }

        entry.Mode = (UnixFileMode)(node.Mode & 0xFFF);
        entry.Uid = (int)node.Uid;
        entry.Gid = (int)node.Gid;
        entry.ModificationTime = DateTimeOffset.UnixEpoch.AddTicks(node.MtimeNs / TimeSpan.NanosecondsPerTick);
        if (entry.EntryType != TarEntryType.RegularFile)
        {
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var content = BlobContentStream.Of(repository, node);
        if (content.Length != node.Size)
        {
            _warnings.Add($"{path}: content adds up to {content.Length} bytes, the snapshot recorded {node.Size}");
        }

        entry.DataStream = content;
        await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        _bytes += content.Length;
        options.Progress?.AddFile(content.Length);
    }

    private static string Kind(string type) => type switch
    {
        NodeType.Fifo => "FIFO",
        NodeType.CharDevice => "character device",
        _ => "block device",
    };
}
