namespace Stackvault.Diff;

/// <summary>How a path differs between two snapshots. <see cref="DiffKinds.Symbol"/> gives the one-letter marker.</summary>
public enum DiffKind
{
    /// <summary>"+": only in the second snapshot.</summary>
    Added,

    /// <summary>"-": only in the first snapshot.</summary>
    Removed,

    /// <summary>"M": same type, different content (file blob ids, symlink target, device number).</summary>
    Modified,

    /// <summary>"U": same content, different mode, owner or mtime.</summary>
    Metadata,

    /// <summary>"T": the type changed (file to symlink, ...).</summary>
    TypeChanged,
}
