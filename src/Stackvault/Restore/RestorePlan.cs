using Stackvault.Repository.Model;

namespace Stackvault.Restore;

/// <summary>Everything a restore will create, relative to the target, in tree order (parents before children).</summary>
public sealed class RestorePlan
{
    public List<(string Path, Node Node)> Directories { get; } = [];

    public List<(string Path, Node Node)> Files { get; } = [];

    public List<(string Path, Node Node)> Others { get; } = [];

    public long TotalBytes => Files.Sum(f => f.Node.Size);
}
