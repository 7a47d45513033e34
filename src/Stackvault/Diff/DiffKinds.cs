namespace Stackvault.Diff;

/// <summary>Markers and JSON names of <see cref="DiffKind"/>.</summary>
public static class DiffKinds
{
    public static string Symbol(DiffKind kind) => kind switch
    {
        DiffKind.Added => "+",
        DiffKind.Removed => "-",
        DiffKind.Modified => "M",
        DiffKind.Metadata => "U",
        DiffKind.TypeChanged => "T",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(DiffKind kind) => kind switch
    {
        DiffKind.Added => "added",
        DiffKind.Removed => "removed",
        DiffKind.Modified => "modified",
        DiffKind.Metadata => "metadata",
        DiffKind.TypeChanged => "type_changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
