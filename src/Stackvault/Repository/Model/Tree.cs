namespace Stackvault.Repository.Model;

/// <summary>A directory listing: nodes sorted by name in ordinal (UTF-16 code unit) order, names unique.</summary>
public sealed class Tree
{
    public const int CurrentVersion = 1;

    public int Version { get; set; } = CurrentVersion;

    public List<Node> Nodes { get; set; } = [];
}
