using Stackvault.Repository.Model;

namespace Stackvault.Diff;

/// <summary>
/// Counts per kind and byte totals. Bytes count regular files only: <see cref="AddedBytes"/> the sizes of added files
/// (and of files that replaced another type), <see cref="RemovedBytes"/> the sizes of removed files (and of files
/// replaced by another type), <see cref="ChangedBytes"/> the new sizes of modified files.
/// </summary>
public sealed class DiffTotals
{
    public long Added { get; private set; }

    public long Removed { get; private set; }

    public long Modified { get; private set; }

    public long Metadata { get; private set; }

    public long TypeChanged { get; private set; }

    public long AddedBytes { get; private set; }

    public long RemovedBytes { get; private set; }

    public long ChangedBytes { get; private set; }

    public long Count => Added + Removed + Modified + Metadata + TypeChanged;

    public void Add(DiffEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        switch (entry.Kind)
        {
            case DiffKind.Added:
                Added++;
                AddedBytes += FileSize(entry.New);
                break;
            case DiffKind.Removed:
                Removed++;
                RemovedBytes += FileSize(entry.Old);
                break;
            case DiffKind.Modified:
                Modified++;
                ChangedBytes += FileSize(entry.New);
                break;
            case DiffKind.Metadata:
                Metadata++;
                break;
            case DiffKind.TypeChanged:
                TypeChanged++;
                RemovedBytes += FileSize(entry.Old);
                AddedBytes += FileSize(entry.New);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(entry));
        }
    }

    private static long FileSize(Node? node) => node is { Type: NodeType.File } ? node.Size : 0;
}
