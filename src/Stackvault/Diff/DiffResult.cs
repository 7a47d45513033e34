namespace Stackvault.Diff;

/// <summary>
/// The differences between two snapshots, in tree order (parents before children, names in ordinal order), with totals
/// overall and per group. A group is the first path component under one of the snapshots' paths (for example
/// <c>/srv/stack/prometheus</c> for a backup of <c>/srv/stack</c>); paths outside every snapshot path (the parents of
/// the backed-up paths) fall in <see cref="OutsideGroup"/>. Per-component totals will sit beside these groups once
/// snapshots record components.
/// </summary>
public sealed class DiffResult
{
    public const string OutsideGroup = "(outside the snapshot paths)";

    public List<DiffEntry> Entries { get; } = [];

    public DiffTotals Totals { get; } = new();

    public SortedDictionary<string, DiffTotals> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>How many tree blobs the walk loaded (identical subtrees are skipped without loading).</summary>
    public long TreesLoaded { get; internal set; }
}
