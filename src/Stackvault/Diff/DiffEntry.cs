using Stackvault.Repository.Model;

namespace Stackvault.Diff;

/// <summary>One changed path (absolute, as in the snapshot); <see cref="Old"/> is null when added, <see cref="New"/> when removed.</summary>
public sealed record DiffEntry(DiffKind Kind, string Path, Node? Old, Node? New);
