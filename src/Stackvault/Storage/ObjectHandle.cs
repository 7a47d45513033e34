namespace Stackvault.Storage;

/// <summary>Names one stored object: its kind and its name (lower-case hex id; empty for the config object).</summary>
public readonly record struct ObjectHandle(ObjectKind Kind, string Name)
{
    public static ObjectHandle Config { get; } = new(ObjectKind.Config, string.Empty);

    /// <summary>The object's path relative to the repository root, e.g. <c>data/ab/ab12...</c>.</summary>
    public string RelativePath => Kind switch
    {
        ObjectKind.Config => "config",
        ObjectKind.Key => "keys/" + Name,
        ObjectKind.Pack => "data/" + Name[..2] + "/" + Name,
        ObjectKind.Index => "index/" + Name,
        ObjectKind.Snapshot => "snapshots/" + Name,
        ObjectKind.Lock => "locks/" + Name,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };

    public override string ToString() => RelativePath;
}
